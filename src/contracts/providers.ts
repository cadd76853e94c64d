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

/** `POST /api/v1/calls/:id/provider`: move a live call's AI conversation to another configured provider. */
export const switchCallProviderRequest = z.object({
  provider: z.string().min(1).max(64),
  reason: z.string().min(1).max(200).optional(),
}).strict();

export const providerSwitchSchema = z.object({
  from: z.string(),
  to: z.string(),
  reason: z.enum(['closed', 'error', 'rate_limited', 'stall', 'manual', 'rollover']),
  detail: z.string(),
  detectionMs: z.number(),
  switchMs: z.number(),
  attempts: z.number().int(),
  resumed: z.enum(['caller_turn', 'replayed_audio', 'greeting', 'tool_result', 'idle']),
});
export const switchCallProviderResponse = z.object({ callId: z.string(), switch: providerSwitchSchema });

/** A tenant's AI provider routing (`GET`/`PUT /api/v1/providers/routing`). */
export const routingPolicySchema = z.enum(['priority', 'lowest_latency', 'round_robin', 'weighted']);
export const providerRouteSchema = z.object({
  name: z.string().min(1).max(64),
  /** Lower first under `priority`; default: the position in the list. */
  priority: z.number().int().min(0).max(1000).optional(),
  /** Share under `weighted` (default 1). */
  weight: z.number().min(0).max(1000).optional(),
  enabled: z.boolean(),
}).strict();
export const providerRoutingSchema = z.object({
  policy: routingPolicySchema,
  providers: z.array(providerRouteSchema).max(32),
}).strict();
export type ProviderRouting = z.infer<typeof providerRoutingSchema>;

/** `?flow=`: a flow's own routing (by the flow's id or key) instead of the tenant's. */
export const providerRoutingQuery = z.object({ flow: z.string().min(1).max(128).optional() });

export const providerRoutingResponse = z.object({
  policy: routingPolicySchema,
  /**
   * `flow`: the flow's own, stored by an admin; `tenant`: the tenant's, stored by an admin; `scenario`: from the
   * active scenario's providers; `default`: configured order.
   */
  source: z.enum(['flow', 'tenant', 'scenario', 'default']),
  /** The flow asked about (`?flow=`, its key); null for the tenant's routing. */
  flow: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** Every configured provider (listed ones first), with its current health and breaker. */
  providers: z.array(z.object({
    name: z.string(), priority: z.number().int(), weight: z.number(), enabled: z.boolean(),
    status: providerStatusSchema, breaker: breakerStateSchema,
  })),
});
