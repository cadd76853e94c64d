import { z } from 'zod';

export const providerStatusSchema = z.enum(['healthy', 'degraded', 'down', 'unknown']);
export const breakerStateSchema = z.enum(['closed', 'open', 'half_open']);
export const failureKindSchema = z.enum(['error', 'timeout', 'closed', 'stall', 'rate_limited', 'probe']);

export const providerHealthSchema = z.object({
  provider: z.string(),
  status: providerStatusSchema,
  latencyEwmaMs: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  errorRate: z.number(),
  samples: z.number().int(),
  consecutiveFailures: z.number().int(),
  lastFailure: z.object({ at: z.string(), kind: failureKindSchema, reason: z.string() }).nullable(),
  lastCheckAt: z.string().nullable(),
  probed: z.boolean(),
  breaker: z.object({ state: breakerStateSchema, failures: z.number().int(), openedAt: z.string().nullable(), lastTransitionAt: z.string() }),
});

export const providersHealthResponse = z.object({ providers: z.array(providerHealthSchema) });

export const providerHealthHistoryQuery = z.object({
  provider: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const providerHealthSampleSchema = z.object({
  provider: z.string(),
  at: z.string(),
  source: z.enum(['probe', 'session']),
  ok: z.boolean(),
  latencyMs: z.number().optional(),
  kind: failureKindSchema.optional(),
  reason: z.string().optional(),
});

export const providerHealthHistoryResponse = z.object({ samples: z.array(providerHealthSampleSchema) });
