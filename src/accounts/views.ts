import type { Principal, Role } from '../contracts/index.js';
import type { ApiKeyRow } from '../store/repositories/api-keys.js';
import type { TenantRow } from '../store/repositories/tenants.js';
import type { UserRow } from '../store/repositories/users.js';
import type { Caller } from './service.js';

/** Rows → API shapes. Never includes password hashes or key hashes. */
export function toUser(row: UserRow) {
  return { id: row.id, tenantId: row.tenantId, email: row.email, name: row.name, role: row.role as Role, disabled: row.disabled, queues: row.queues, createdAt: row.createdAt.toISOString() };
}

export function toTenant(row: TenantRow) {
  return { id: row.id, name: row.name, slug: row.slug, scenario: row.scenario, createdAt: row.createdAt.toISOString() };
}

export function toApiKey(row: ApiKeyRow) {
  return {
    id: row.id, name: row.name, role: row.role as Role, prefix: row.prefix, createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null, revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function toPrincipal(caller: Caller): Principal {
  return {
    kind: caller.kind, user: caller.user ? toUser(caller.user) : null, apiKeyId: caller.apiKeyId, role: caller.role,
    tenant: toTenant(caller.tenant), csrfToken: caller.csrfToken,
  };
}
