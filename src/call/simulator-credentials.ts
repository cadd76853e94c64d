import { DEMO_TENANT_SLUG } from '../accounts/seed.js';
import type { CarrierAccountName, SimulatorCredentials } from '../contracts/telephony.js';
import type { Repositories } from '../store/index.js';
import { CarrierAccounts } from './carrier-accounts.js';
import { CredentialBox } from './credential-box.js';

/**
 * For the CLI simulator running on the same data directory or database: the demo tenant's simulator credentials,
 * read straight from the store with the platform's signing secret (SWITCHBOARD_SECRET, or the `token-signing`
 * secret kept in the database). Null when the demo tenant or its demo account is missing.
 */
export async function readDemoSimulatorCredentials(repos: Repositories, carrier: CarrierAccountName, signingSecret?: string): Promise<SimulatorCredentials | null> {
  const tenant = await repos.tenants.bySlug(DEMO_TENANT_SLUG);
  if (!tenant) return null;
  const secret = signingSecret ?? await repos.secrets.getOrCreate('token-signing');
  return new CarrierAccounts(repos, new CredentialBox(secret)).simulatorCredentials(tenant.id, carrier);
}
