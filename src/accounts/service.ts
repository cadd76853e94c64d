import { randomBytes } from 'node:crypto';
import type { Principal, Role } from '../contracts/index.js';
import type { Repositories } from '../store/index.js';
import type { TenantRow } from '../store/repositories/tenants.js';
import type { UserRow } from '../store/repositories/users.js';
import { generateApiKey, hashToken } from './api-keys.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { toPrincipal, toApiKey } from './views.js';

/** Who is calling, resolved from a cookie or an API key. */
export interface Caller {
  kind: 'user' | 'api-key';
  tenant: TenantRow;
  role: Role;
  user: UserRow | null;
  apiKeyId: string | null;
  /** Login sessions only: the token unsafe requests must echo in x-csrf-token. */
  csrfToken: string | null;
  /** Stable key for percentage rollouts and audit: user id or api key id. */
  subjectKey: string;
  /** How the caller is named in change records. */
  label: string;
}

const LOGIN_TTL_MS = 12 * 3600_000;
/** Resolved callers are cached briefly: the hot API path must not hit the database twice per request. */
const CALLER_CACHE_MS = 5000;
const CALLER_CACHE_MAX = 10_000;

/** A hash to compare against when the email is unknown, so a login takes as long either way. */
let dummyHash: Promise<string> | null = null;

export class AccountService {
  private readonly callers = new Map<string, { caller: Caller; until: number }>();

  constructor(private readonly repos: Repositories) {}

  /** Checks email and password; on success opens a login session and returns its cookie token. */
  async login(email: string, password: string): Promise<{ token: string; caller: Caller } | null> {
    const user = await this.repos.users.byEmail(email);
    if (!user) {
      dummyHash ??= hashPassword(randomBytes(8).toString('hex'));
      await verifyPassword(password, await dummyHash);
      return null;
    }
    if (user.disabled || !(await verifyPassword(password, user.passwordHash))) return null;
    const tenant = await this.repos.tenants.byId(user.tenantId);
    if (!tenant) return null;
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.repos.loginSessions.create({
      tokenHash: hashToken(token), userId: user.id, tenantId: tenant.id, csrfToken, expiresAt: new Date(Date.now() + LOGIN_TTL_MS),
    });
    return { token, caller: userCaller(user, tenant, csrfToken) };
  }

  async logout(token: string): Promise<void> {
    const hash = hashToken(token);
    this.callers.delete(`c:${hash}`);
    await this.repos.loginSessions.delete(hash);
  }

  async callerFromCookie(token: string): Promise<Caller | null> {
    const hash = hashToken(token);
    return this.cached(`c:${hash}`, async () => {
      const session = await this.repos.loginSessions.active(hash);
      if (!session) return null;
      const [user, tenant] = await Promise.all([this.repos.users.byId(session.tenantId, session.userId), this.repos.tenants.byId(session.tenantId)]);
      if (!user || user.disabled || !tenant) return null;
      return userCaller(user, tenant, session.csrfToken);
    });
  }

  async callerFromApiKey(secret: string): Promise<Caller | null> {
    // Cached by the key itself (process memory only) so a cached request costs no hashing.
    return this.cached(`k:${secret}`, async () => {
      const key = await this.repos.apiKeys.activeByHash(hashToken(secret));
      if (!key) return null;
      const tenant = await this.repos.tenants.byId(key.tenantId);
      if (!tenant) return null;
      void this.repos.apiKeys.touch(key.id, new Date()).catch(() => {});
      return { kind: 'api-key', tenant, role: key.role as Role, user: null, apiKeyId: key.id, csrfToken: null, subjectKey: key.id, label: `api-key:${key.name}` };
    });
  }

  private async cached(key: string, load: () => Promise<Caller | null>): Promise<Caller | null> {
    const hit = this.callers.get(key);
    if (hit && hit.until > Date.now()) return hit.caller;
    const caller = await load();
    if (!caller) { this.callers.delete(key); return null; }
    if (this.callers.size >= CALLER_CACHE_MAX) this.callers.clear();
    this.callers.set(key, { caller, until: Date.now() + CALLER_CACHE_MS });
    return caller;
  }

  async createUser(tenantId: string, input: { email: string; name: string; role: Role; password: string }): Promise<UserRow> {
    return this.repos.users.create({ tenantId, email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
  }

  async createApiKey(tenantId: string, input: { name: string; role: Role }, createdBy: string | null) {
    const key = generateApiKey();
    const row = await this.repos.apiKeys.create({ tenantId, name: input.name, role: input.role, prefix: key.prefix, keyHash: key.hash, createdBy });
    return { ...toApiKey(row), secret: key.secret };
  }

  async revokeApiKey(tenantId: string, id: string) {
    const row = await this.repos.apiKeys.revoke(tenantId, id);
    if (row) {
      for (const [key, entry] of this.callers) if (entry.caller.apiKeyId === row.id) this.callers.delete(key);
    }
    return row;
  }

  /** Drops the cached callers of a user whose row changed (their queues): their next request sees the change. */
  forgetUser(userId: string): void {
    for (const [key, entry] of this.callers) if (entry.caller.user?.id === userId) this.callers.delete(key);
  }

  principal(caller: Caller): Principal {
    return toPrincipal(caller);
  }
}

function userCaller(user: UserRow, tenant: TenantRow, csrfToken: string): Caller {
  return { kind: 'user', tenant, role: user.role as Role, user, apiKeyId: null, csrfToken, subjectKey: user.id, label: `user:${user.email}` };
}
