import { z } from 'zod';
import { isoDate } from './common.js';

export const SCENARIOS = ['basic', 'multi-provider', 'ai-first', 'compliance', 'browser-channel'] as const;
export const scenarioSchema = z.enum(SCENARIOS);
export type ScenarioName = z.infer<typeof scenarioSchema>;

/** A flag value: on, off, or a percentage rollout such as "25%". */
export const flagValueSchema = z.string().regex(/^(on|off|(100|[1-9]?[0-9])%)$/, 'must be on, off or a percentage like 25%');

export const flagSourceSchema = z.enum(['default', 'environment', 'scenario', 'tenant', 'rollout']);
export type FlagSource = z.infer<typeof flagSourceSchema>;

export const flagStageSchema = z.enum(['stable', 'rehearsal', 'experimental', 'unbuilt']);

export const effectiveFlagSchema = z.object({
  name: z.string(),
  description: z.string(),
  stage: flagStageSchema,
  enabled: z.boolean().describe('The answer for this tenant (and user, for rollouts keyed by user)'),
  value: flagValueSchema.describe('The configured value that produced the answer'),
  source: flagSourceSchema,
  tenantOverride: flagValueSchema.nullable(),
}).meta({ id: 'EffectiveFlag' });
export type EffectiveFlag = z.infer<typeof effectiveFlagSchema>;

export const flagsResponse = z.object({
  environment: z.enum(['development', 'staging', 'production']),
  scenario: scenarioSchema.nullable(),
  flags: z.array(effectiveFlagSchema),
});

export const flagParams = z.object({ name: z.string().regex(/^[a-z0-9-]{1,64}$/) });
export const setFlagRequest = z.object({ value: flagValueSchema }).strict();

export const flagChangeSchema = z.object({
  id: z.number().int(),
  subject: z.string().describe('flag:<name> or scenario'),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  changedBy: z.string(),
  changedAt: isoDate,
}).meta({ id: 'FlagChange' });

export const scenarioInfoSchema = z.object({
  name: scenarioSchema,
  title: z.string(),
  description: z.string(),
  flags: z.record(z.string(), flagValueSchema),
  providers: z.object({ primary: z.string(), fallbacks: z.array(z.string()) }),
}).meta({ id: 'Scenario' });

export const scenariosResponse = z.object({
  active: scenarioSchema.nullable(),
  scenarios: z.array(scenarioInfoSchema),
});
export const setScenarioRequest = z.object({ scenario: scenarioSchema.nullable() }).strict();
