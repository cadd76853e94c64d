import { z } from 'zod';
import { e164 } from './calls.js';
import { idSchema, isoDate } from './common.js';

/** Carriers a tenant configures an account for (the browser needs none). */
export const carrierNameSchema = z.enum(['twilio', 'telnyx']);
export type CarrierAccountName = z.infer<typeof carrierNameSchema>;
export const carrierParams = z.object({ carrier: carrierNameSchema });

export const twilioCredentials = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex)'),
  authToken: z.string().min(16).max(128),
}).strict();
export type TwilioCredentials = z.infer<typeof twilioCredentials>;

// atob, not Buffer: the console imports these contracts too. atob throws on bad input; a refine must not.
const decodedLength = (v: string): number => { try { return atob(v).length; } catch { return -1; } };
const base64Key = (bytes: number) => z.string().max(200).refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && decodedLength(v) === bytes,
  `must be the base64 of ${bytes} bytes`);

export const telnyxCredentials = z.object({
  apiKey: z.string().min(8).max(256),
  publicKey: base64Key(32).describe('Webhook signing public key (Ed25519, raw 32 bytes, base64) from the Telnyx portal'),
  connectionId: z.string().min(1).max(128).optional().describe('Call Control application (connection) id for outbound calls'),
  /** Only for locally generated demo accounts: lets the call simulator sign webhooks like Telnyx would. */
  simulatorPrivateKey: z.string().optional(),
}).strict();
export type TelnyxCredentials = z.infer<typeof telnyxCredentials>;

export type CarrierCredentials = { carrier: 'twilio'; twilio: TwilioCredentials } | { carrier: 'telnyx'; telnyx: TelnyxCredentials };

/** PUT /carriers/{carrier}: the carrier's credentials (twilio: accountSid + authToken; telnyx: apiKey + publicKey). */
export const putCarrierRequest = z.union([twilioCredentials, telnyxCredentials.omit({ simulatorPrivateKey: true }).strict()])
  .meta({ id: 'PutCarrierRequest' });

export const carrierAccountSchema = z.object({
  carrier: carrierNameSchema,
  configured: z.boolean().describe('Credentials are stored and readable with this server\'s key.'),
  accountId: z.string().nullable().describe('Account SID (Twilio) or connection id (Telnyx); never a secret.'),
  publicKey: z.string().nullable().describe('Telnyx webhook public key; public by nature.'),
  demo: z.boolean().describe('Generated locally for the demo tenant and the call simulator; not a real account.'),
  updatedAt: isoDate.nullable(),
}).meta({ id: 'CarrierAccount' });
export type CarrierAccount = z.infer<typeof carrierAccountSchema>;
export const carrierAccountsResponse = z.object({ items: z.array(carrierAccountSchema) });

/** Demo credentials, secrets included, so `switchboard simulate-call` can act as the carrier. */
export const simulatorCredentialsSchema = z.object({
  carrier: carrierNameSchema,
  demo: z.literal(true),
  accountId: z.string().nullable(),
  authToken: z.string().nullable().describe('Twilio: signs webhooks (X-Twilio-Signature).'),
  publicKey: z.string().nullable(),
  privateKey: z.string().nullable().describe('Telnyx: PKCS#8 DER, base64, of the Ed25519 key that signs demo webhooks.'),
  numbers: z.array(e164).describe('The tenant\'s numbers at this carrier.'),
}).meta({ id: 'SimulatorCredentials' });
export type SimulatorCredentials = z.infer<typeof simulatorCredentialsSchema>;

export const AGENT_KINDS_BUILT_IN = ['echo', 'voicemail'] as const;

export const phoneNumberSchema = z.object({
  id: idSchema,
  number: e164,
  carrier: carrierNameSchema,
  agentKind: z.string().describe('What answers: echo, voicemail, later flow.'),
  flowId: z.string().nullable(),
  greeting: z.string().nullable().describe('Spoken first (voicemail greeting).'),
  options: z.record(z.string(), z.unknown()).describe('Agent options, e.g. {"maxMs":120000,"voice":"slt"}'),
  createdAt: isoDate,
  updatedAt: isoDate,
}).meta({ id: 'PhoneNumber' });
export type PhoneNumber = z.infer<typeof phoneNumberSchema>;

const agentKind = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'an agent kind such as echo or voicemail');
const numberOptions = z.record(z.string().max(64), z.unknown()).refine((o) => JSON.stringify(o).length <= 8000, 'at most 8000 bytes of JSON');

export const createNumberRequest = z.object({
  number: e164,
  carrier: carrierNameSchema,
  agentKind: agentKind.default('echo'),
  flowId: z.string().min(1).max(128).nullable().optional(),
  greeting: z.string().max(2000).nullable().optional(),
  options: numberOptions.default({}),
}).strict().meta({ id: 'CreatePhoneNumberRequest' });

export const updateNumberRequest = z.object({
  carrier: carrierNameSchema.optional(),
  agentKind: agentKind.optional(),
  flowId: z.string().min(1).max(128).nullable().optional(),
  greeting: z.string().max(2000).nullable().optional(),
  options: numberOptions.optional(),
}).strict().meta({ id: 'UpdatePhoneNumberRequest' });

export const numbersQuery = z.object({
  carrier: carrierNameSchema.optional(),
  q: z.string().max(32).optional().describe('Search in the number'),
});
