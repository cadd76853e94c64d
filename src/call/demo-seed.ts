import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Logger } from '../infra/logger.js';
import type { Repositories } from '../store/index.js';
import type { CarrierAccounts } from './carrier-accounts.js';

/** Test numbers of the demo tenant (Twilio's magic test range), and what answers them. */
export const DEMO_NUMBERS = [
  { number: '+15005550006', carrier: 'twilio', agentKind: 'echo', greeting: null, flowId: null },
  { number: '+15005550007', carrier: 'telnyx', agentKind: 'echo', greeting: null, flowId: null },
  { number: '+15005550008', carrier: 'twilio', agentKind: 'voicemail', greeting: 'You have reached the Switchboard demo voicemail. Please leave a message after the tone.', flowId: null },
  /** Answered by the local flow agent with the example booking flow (seeded for the demo tenant by ai/flows/seed.ts). */
  { number: '+15005550009', carrier: 'twilio', agentKind: 'flow', greeting: null, flowId: 'appointment-booking' },
] as const;

/** Ed25519 SPKI DER = this 12-byte prefix + the raw 32-byte public key (what Telnyx shows in its portal). */
const ED25519_SPKI_PREFIX_BYTES = 12;

/**
 * First start: the demo tenant gets test numbers and locally generated Twilio and Telnyx credentials, marked
 * `demo`, so `switchboard simulate-call` can sign webhooks like the carriers without any setup. These are
 * simulator credentials, not accounts at the carriers. Nothing happens once the tenant has carriers or numbers.
 */
export async function seedDemoTelephony(repos: Pick<Repositories, 'carrierAccounts' | 'phoneNumbers'>, accounts: CarrierAccounts, tenantId: string, log: Logger): Promise<boolean> {
  const [existingAccounts, existingNumbers] = await Promise.all([
    repos.carrierAccounts.list(tenantId), repos.phoneNumbers.list(tenantId, { limit: 1 }),
  ]);
  if (existingAccounts.length > 0 || existingNumbers.items.length > 0) return false;

  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rawPublic = publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX_BYTES);
  await accounts.putIfMissing(tenantId, {
    carrier: 'twilio',
    twilio: { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') },
  }, true);
  await accounts.putIfMissing(tenantId, {
    carrier: 'telnyx',
    telnyx: {
      apiKey: `KEYdemo${randomBytes(16).toString('hex')}`,
      publicKey: rawPublic.toString('base64'),
      connectionId: `demo-${randomBytes(6).toString('hex')}`,
      simulatorPrivateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    },
  }, true);
  for (const n of DEMO_NUMBERS) {
    await repos.phoneNumbers.createIfMissing({ tenantId, number: n.number, carrier: n.carrier, agentKind: n.agentKind, flowId: n.flowId, greeting: n.greeting, options: {} });
  }
  log.info({ numbers: DEMO_NUMBERS.map((n) => n.number) }, 'seeded demo telephony (simulator credentials, test numbers)');
  return true;
}
