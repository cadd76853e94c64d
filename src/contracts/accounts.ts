import { z } from 'zod';
import { idSchema, isoDate, roleSchema } from './common.js';

export const tenantSchema = z.object({
  id: idSchema,
  name: z.string(),
  slug: z.string(),
  scenario: z.string().nullable(),
  createdAt: isoDate,
}).meta({ id: 'Tenant' });

/** A call queue's name (a number's `options.queue`): letters, digits, `_` and `-`, up to 48. */
export const queueNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/i, 'letters, digits, _ and -, up to 48, starting with a letter or digit');

export const userSchema = z.object({
  id: idSchema,
  tenantId: idSchema,
  email: z.email(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  queues: z.array(z.string()).describe('Queues whose calls an agent sees and may take over (supervisors and admins see all).'),
  createdAt: isoDate,
}).meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const loginRequest = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
}).strict();

export const principalSchema = z.object({
  kind: z.enum(['user', 'api-key']),
  user: userSchema.nullable(),
  apiKeyId: idSchema.nullable(),
  role: roleSchema,
  tenant: tenantSchema,
  csrfToken: z.string().nullable().describe('Send as x-csrf-token on unsafe requests made with the session cookie.'),
}).meta({ id: 'Principal' });
export type Principal = z.infer<typeof principalSchema>;

export const createUserRequest = z.object({
  email: z.email().max(320),
  name: z.string().min(1).max(200),
  role: roleSchema,
  password: z.string().min(8).max(1024),
}).strict();

export const userQueuesRequest = z.object({
  queues: z.array(queueNameSchema).max(50).refine((q) => new Set(q.map((n) => n.toLowerCase())).size === q.length, 'queues must not repeat')
    .describe('The agent\'s queues (replaces the list; may be empty: then only calls assigned to them).'),
}).strict().meta({ id: 'UserQueuesRequest' });

export const usersQuery = z.object({
  q: z.string().max(200).optional().describe('Search in email and name'),
  role: roleSchema.optional(),
});

export const apiKeySchema = z.object({
  id: idSchema,
  name: z.string(),
  role: roleSchema,
  prefix: z.string().describe('First characters of the key, to recognise it'),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
}).meta({ id: 'ApiKey' });

export const createApiKeyRequest = z.object({
  name: z.string().min(1).max(200),
  role: roleSchema.default('agent'),
}).strict();

export const createdApiKeySchema = apiKeySchema.extend({
  secret: z.string().describe('The key itself. Shown once; only its hash is stored.'),
}).meta({ id: 'CreatedApiKey' });
