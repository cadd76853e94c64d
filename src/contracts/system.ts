import { z } from 'zod';

export const healthResponse = z.object({ status: z.literal('ok'), uptimeMs: z.number(), version: z.string() });

export const readyCheckSchema = z.object({ name: z.string(), ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });
export const readyResponse = z.object({ ready: z.boolean(), checks: z.array(readyCheckSchema) });
