import { describe, expect, it } from 'vitest';
import type { FlagDefinition } from './catalogue.js';
import { evaluateFlag, rolloutBucket, type FlagLayers } from './evaluate.js';

const built: FlagDefinition = { name: 'x', description: '', stage: 'rehearsal', default: 'off' };
const unbuilt: FlagDefinition = { name: 'y', description: '', stage: 'unbuilt', default: 'off' };
const layers = (over: Partial<FlagLayers> = {}): FlagLayers => ({ environment: 'development', env: {}, scenario: null, tenant: new Map(), ...over });

describe('evaluateFlag', () => {
  it('uses the environment stage default', () => {
    expect(evaluateFlag(built, layers(), 's')).toMatchObject({ enabled: true, source: 'default' });
    expect(evaluateFlag(built, layers({ environment: 'production' }), 's')).toMatchObject({ enabled: false, source: 'default' });
    expect(evaluateFlag(unbuilt, layers(), 's').enabled).toBe(false);
  });

  it('lets later layers win: environment < scenario < tenant', () => {
    expect(evaluateFlag(built, layers({ env: { x: 'off' } }), 's')).toMatchObject({ enabled: false, source: 'environment' });
    expect(evaluateFlag(built, layers({ env: { x: 'off' }, scenario: { x: 'on' } }), 's')).toMatchObject({ enabled: true, source: 'scenario' });
    expect(evaluateFlag(built, layers({ scenario: { x: 'on' }, tenant: new Map([['x', 'off']]) }), 's')).toMatchObject({ enabled: false, source: 'tenant', tenantOverride: 'off' });
  });

  it('rolls out a percentage stably and in proportion', () => {
    const l = layers({ tenant: new Map([['x', '30%']]) });
    let on = 0;
    for (let i = 0; i < 2000; i++) {
      const first = evaluateFlag(built, l, `user-${i}`);
      expect(evaluateFlag(built, l, `user-${i}`).enabled).toBe(first.enabled);
      if (first.enabled) on++;
      expect(first.source).toBe('rollout');
    }
    expect(on / 2000).toBeGreaterThan(0.26);
    expect(on / 2000).toBeLessThan(0.34);
    expect(evaluateFlag(built, layers({ tenant: new Map([['x', '0%']]) }), 'a').enabled).toBe(false);
    expect(evaluateFlag(built, layers({ tenant: new Map([['x', '100%']]) }), 'a').enabled).toBe(true);
    expect(rolloutBucket('x', 'a')).toBe(rolloutBucket('x', 'a'));
  });
});
