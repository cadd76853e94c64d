import { createHash } from 'node:crypto';
import type { FlagSource } from '../contracts/flags.js';
import type { FlagDefinition } from './catalogue.js';

export type Environment = 'development' | 'staging' | 'production';

/** Where a flag's configured value came from, lowest priority first. */
export interface FlagLayers {
  environment: Environment;
  /** SWITCHBOARD_FLAG_<NAME> values. */
  env: Readonly<Record<string, string>>;
  scenario: Readonly<Record<string, string>> | null;
  tenant: ReadonlyMap<string, string>;
}

export interface FlagAnswer {
  enabled: boolean;
  value: string;
  source: FlagSource;
  tenantOverride: string | null;
}

const ENABLED_STAGES: Record<Environment, ReadonlySet<string>> = {
  development: new Set(['stable', 'rehearsal', 'experimental']),
  staging: new Set(['stable', 'rehearsal']),
  production: new Set(['stable']),
};

/** A stable bucket 0–99 for (flag, subject): the same subject always lands in the same bucket. */
export function rolloutBucket(flag: string, subjectKey: string): number {
  const digest = createHash('sha256').update(`${flag}:${subjectKey}`).digest();
  return digest.readUInt32BE(0) % 100;
}

export function parsePercent(value: string): number | null {
  const m = /^(\d{1,3})%$/.exec(value);
  return m ? Number(m[1]) : null;
}

/**
 * The effective answer of one flag. Priority: declared default < environment stage default < environment
 * variable < scenario < tenant override. A percentage at the winning layer is decided by `rolloutBucket`.
 */
export function evaluateFlag(def: FlagDefinition, layers: FlagLayers, subjectKey: string): FlagAnswer {
  let value: string = def.stage !== 'unbuilt' && ENABLED_STAGES[layers.environment].has(def.stage) ? 'on' : def.default;
  let source: FlagSource = 'default';
  const envValue = layers.env[def.name];
  if (envValue !== undefined) { value = envValue; source = 'environment'; }
  const scenarioValue = layers.scenario?.[def.name];
  if (scenarioValue !== undefined) { value = scenarioValue; source = 'scenario'; }
  const tenantValue = layers.tenant.get(def.name) ?? null;
  if (tenantValue !== null) { value = tenantValue; source = 'tenant'; }

  const percent = parsePercent(value);
  if (percent !== null) {
    return { enabled: rolloutBucket(def.name, subjectKey) < percent, value, source: 'rollout', tenantOverride: tenantValue };
  }
  return { enabled: value === 'on', value, source, tenantOverride: tenantValue };
}
