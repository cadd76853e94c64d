import type { Db } from './database.js';
import { ApiKeyRepository } from './repositories/api-keys.js';
import { CallTimelineRepository } from './repositories/call-timeline.js';
import { CallRepository } from './repositories/calls.js';
import { CarrierAccountRepository } from './repositories/carrier-accounts.js';
import { FlagRepository } from './repositories/flags.js';
import { FlowRepository } from './repositories/flows.js';
import { LoginSessionRepository } from './repositories/login-sessions.js';
import { PhoneNumberRepository } from './repositories/phone-numbers.js';
import { ProviderRoutingRepository } from './repositories/provider-routing.js';
import { SecretRepository } from './repositories/secrets.js';
import { SessionRepository } from './repositories/sessions.js';
import { TenantRepository } from './repositories/tenants.js';
import { UserRepository } from './repositories/users.js';
import { WidgetRepository } from './repositories/widget.js';

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
    carrierAccounts: new CarrierAccountRepository(db),
    phoneNumbers: new PhoneNumberRepository(db),
    calls: new CallRepository(db),
    callTimeline: new CallTimelineRepository(db),
    flows: new FlowRepository(db),
    providerRouting: new ProviderRoutingRepository(db),
    widget: new WidgetRepository(db),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
