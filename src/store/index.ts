import type { Db } from './database.js';
import { ApiKeyRepository } from './repositories/api-keys.js';
import { FlagRepository } from './repositories/flags.js';
import { LoginSessionRepository } from './repositories/login-sessions.js';
import { SecretRepository } from './repositories/secrets.js';
import { SessionRepository } from './repositories/sessions.js';
import { TenantRepository } from './repositories/tenants.js';
import { UserRepository } from './repositories/users.js';

export * from './database.js';
export { InvalidCursorError } from './pagination.js';

/** Every repository over one database. */
export function createRepositories(db: Db) {
  return {
    tenants: new TenantRepository(db),
    users: new UserRepository(db),
    apiKeys: new ApiKeyRepository(db),
    loginSessions: new LoginSessionRepository(db),
    flags: new FlagRepository(db),
    sessions: new SessionRepository(db),
    secrets: new SecretRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
