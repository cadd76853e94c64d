import {
  telnyxCredentials, twilioCredentials, type CarrierAccount, type CarrierAccountName, type CarrierCredentials, type SimulatorCredentials,
} from '../contracts/telephony.js';
import type { Repositories } from '../store/index.js';
import type { CarrierAccountRow } from '../store/repositories/carrier-accounts.js';
import { UnreadableCredentialsError, type CredentialBox } from './credential-box.js';
import { CallError } from './errors.js';

export const CARRIER_ACCOUNT_NAMES: readonly CarrierAccountName[] = ['twilio', 'telnyx'];

const owner = (tenantId: string, carrier: string) => `${tenantId}:${carrier}`;

/**
 * Tenants' carrier accounts: secrets sealed on the way in, opened only for the carrier code that needs them
 * (signature checks, REST calls). Views for the API carry the public id and a `configured` flag, never a secret.
 */
export class CarrierAccounts {
  constructor(private readonly repos: Pick<Repositories, 'carrierAccounts' | 'phoneNumbers'>, private readonly box: CredentialBox) {}

  /** Validates `input` for `carrier` (CallError 400 naming the fields) and stores it sealed. */
  async put(tenantId: string, carrier: CarrierAccountName, input: unknown, demo = false): Promise<CarrierAccount> {
    const credentials = parseCredentials(carrier, input);
    const publicId = credentials.carrier === 'twilio' ? credentials.twilio.accountSid : (credentials.telnyx.connectionId ?? null);
    const row = await this.repos.carrierAccounts.put({
      tenantId, carrier, publicId, demo, credentials: this.box.seal(credentials, owner(tenantId, carrier)),
    });
    return this.view(carrier, row);
  }

  /** Seeding: stores only when the tenant has no account at the carrier yet. */
  async putIfMissing(tenantId: string, credentials: CarrierCredentials, demo: boolean): Promise<boolean> {
    const { carrier } = credentials;
    const publicId = credentials.carrier === 'twilio' ? credentials.twilio.accountSid : (credentials.telnyx.connectionId ?? null);
    return this.repos.carrierAccounts.putIfMissing({ tenantId, carrier, publicId, demo, credentials: this.box.seal(credentials, owner(tenantId, carrier)) });
  }

  async get(tenantId: string, carrier: CarrierAccountName): Promise<CarrierAccount> {
    return this.view(carrier, await this.repos.carrierAccounts.get(tenantId, carrier));
  }

  /** One entry per carrier, configured or not. */
  async list(tenantId: string): Promise<CarrierAccount[]> {
    const rows = new Map((await this.repos.carrierAccounts.list(tenantId)).map((r) => [r.carrier, r]));
    return CARRIER_ACCOUNT_NAMES.map((carrier) => this.view(carrier, rows.get(carrier) ?? null));
  }

  async delete(tenantId: string, carrier: CarrierAccountName): Promise<boolean> {
    return this.repos.carrierAccounts.delete(tenantId, carrier);
  }

  /** The secrets, for carrier code only; null when none are stored or they cannot be read. */
  async credentials(tenantId: string, carrier: string): Promise<CarrierCredentials | null> {
    const row = await this.repos.carrierAccounts.get(tenantId, carrier);
    return row ? this.open(row) : null;
  }

  /** Demo credentials with their secrets, for the call simulator; null for real accounts. */
  async simulatorCredentials(tenantId: string, carrier: CarrierAccountName): Promise<SimulatorCredentials | null> {
    const row = await this.repos.carrierAccounts.get(tenantId, carrier);
    const credentials = row?.demo ? this.open(row) : null;
    if (!credentials) return null;
    const numbers = (await this.repos.phoneNumbers.forCarrier(tenantId, carrier)).map((n) => n.number);
    if (credentials.carrier === 'twilio') {
      return { carrier, demo: true, accountId: credentials.twilio.accountSid, authToken: credentials.twilio.authToken, publicKey: null, privateKey: null, numbers };
    }
    const t = credentials.telnyx;
    return { carrier, demo: true, accountId: t.connectionId ?? null, authToken: null, publicKey: t.publicKey, privateKey: t.simulatorPrivateKey ?? null, numbers };
  }

  private open(row: CarrierAccountRow): CarrierCredentials | null {
    try {
      return parseCredentials(row.carrier as CarrierAccountName, (this.box.open(row.credentials, owner(row.tenantId, row.carrier)) as { [k: string]: unknown })[row.carrier]);
    } catch (err) {
      if (err instanceof UnreadableCredentialsError || err instanceof CallError) return null;
      throw err;
    }
  }

  private view(carrier: CarrierAccountName, row: CarrierAccountRow | null): CarrierAccount {
    const credentials = row ? this.open(row) : null;
    return {
      carrier,
      configured: credentials !== null,
      accountId: row?.publicId ?? null,
      publicKey: credentials?.carrier === 'telnyx' ? credentials.telnyx.publicKey : null,
      demo: row?.demo ?? false,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }
}

function parseCredentials(carrier: CarrierAccountName, input: unknown): CarrierCredentials {
  if (carrier === 'twilio') {
    const parsed = twilioCredentials.safeParse(input);
    if (parsed.success) return { carrier, twilio: parsed.data };
    throw invalid(carrier, parsed.error.issues);
  }
  const parsed = telnyxCredentials.safeParse(input);
  if (parsed.success) return { carrier, telnyx: parsed.data };
  throw invalid(carrier, parsed.error.issues);
}

function invalid(carrier: string, issues: { path: PropertyKey[]; message: string }[]): CallError {
  return new CallError(400, 'validation_failed', `invalid ${carrier} credentials`,
    issues.map((i) => ({ path: `body.${i.path.map(String).join('.')}`, message: i.message })));
}
