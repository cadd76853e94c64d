import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/ai/router/breaker.js';
import { ProviderHealth } from '../../src/ai/router/health.js';
import { orderCandidates, RoutingState, type ProviderView } from '../../src/ai/router/policy.js';
import { ProviderRouter } from '../../src/ai/router/router.js';

describe('CircuitBreaker', () => {
  it('opens after N failures in the window, half-opens after the cooldown, closes after M successes', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, windowMs: 1000, cooldownMs: 500, successThreshold: 2, now: () => now });
    const seen: string[] = [];
    breaker.onChange((state) => seen.push(state));
    breaker.failure();
    now = 1200; // the first failure left the window
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    now += 499;
    expect(breaker.state).toBe('open');
    now += 1;
    expect(breaker.state).toBe('half_open');
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false); // one trial at a time
    breaker.success();
    expect(breaker.state).toBe('half_open');
    expect(breaker.allow()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(seen).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failure while half-open opens it again', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: () => now });
    breaker.failure();
    now = 100;
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 100 });
  });
});

describe('routing policies', () => {
  const views: ProviderView[] = [
    { name: 'openai', priority: 0, weight: 1, status: 'healthy', latencyMs: 300, available: true },
    { name: 'gemini', priority: 1, weight: 3, status: 'healthy', latencyMs: 120, available: true },
    { name: 'local', priority: 2, weight: 1, status: 'degraded', latencyMs: 50, available: true },
  ];

  it('priority keeps the configured order', () => {
    expect(orderCandidates(views, { policy: 'priority' })).toEqual(['openai', 'gemini', 'local']);
  });

  it('lowest-latency puts healthy before degraded, then by latency', () => {
    expect(orderCandidates(views, { policy: 'lowest-latency' })).toEqual(['gemini', 'openai', 'local']);
  });

  it('round-robin rotates the start', () => {
    const state = new RoutingState();
    expect(orderCandidates(views, { policy: 'round-robin' }, state)[0]).toBe('openai');
    expect(orderCandidates(views, { policy: 'round-robin' }, state)[0]).toBe('gemini');
    expect(orderCandidates(views, { policy: 'round-robin' }, state)[0]).toBe('local');
  });

  it('a peek lists the order without advancing round robin or drawing for weighted', () => {
    const state = new RoutingState();
    expect(orderCandidates(views, { policy: 'round-robin', peek: true }, state)[0]).toBe('openai');
    expect(orderCandidates(views, { policy: 'round-robin', peek: true }, state)[0]).toBe('openai');
    expect(orderCandidates(views, { policy: 'round-robin' }, state)[0]).toBe('openai'); // the peeks took no turn
    expect(orderCandidates(views, { policy: 'round-robin' }, state)[0]).toBe('gemini');
    let draws = 0;
    expect(orderCandidates(views, { policy: 'weighted', peek: true, random: () => { draws++; return 0; } })).toEqual(['gemini', 'openai', 'local']);
    expect(draws).toBe(0);
  });

  it('reading a router session\'s provider names does not advance its round robin', () => {
    const create = () => { throw new Error('not started in this test'); };
    const router = new ProviderRouter(['openai', 'gemini'].map((name) => ({ name, create })), { policy: 'round-robin' });
    const session = router.session();
    expect(session.providerNames).toEqual(['openai', 'gemini']);
    expect(session.providerNames).toEqual(['openai', 'gemini']);
    expect(router.candidates('round-robin').map((c) => c.name)).toEqual(['openai', 'gemini']); // still the first turn
    expect(router.candidates('round-robin').map((c) => c.name)).toEqual(['gemini', 'openai']);
    router.stop();
  });

  it('weighted picks by weight', () => {
    expect(orderCandidates(views, { policy: 'weighted', random: () => 0.5 })[0]).toBe('gemini');
    expect(orderCandidates(views, { policy: 'weighted', random: () => 0.01 })[0]).toBe('openai');
  });

  it('skips open breakers; down providers go last', () => {
    const list = views.map((v) => (v.name === 'openai' ? { ...v, available: false } : v.name === 'gemini' ? { ...v, status: 'down' as const } : v));
    expect(orderCandidates(list, { policy: 'priority' })).toEqual(['local', 'gemini']);
  });
});

describe('ProviderHealth', () => {
  it('tracks EWMA, p95, error rate, status and the last failure', () => {
    let now = 0;
    const health = new ProviderHealth('openai', { now: () => now, historySize: 5, ewmaAlpha: 0.5 });
    expect(health.status).toBe('unknown');
    health.success(100);
    health.success(200);
    expect(health.snapshot()).toMatchObject({ status: 'healthy', latencyEwmaMs: 150, latencyP95Ms: 200, errorRate: 0 });
    now = 10;
    health.failure('closed', 'socket closed');
    // One failure is no evidence: still healthy, but the failure is recorded.
    expect(health.snapshot()).toMatchObject({ status: 'healthy', consecutiveFailures: 1, lastFailure: { at: 10, kind: 'closed', reason: 'socket closed' } });
    health.failure('stall', 'no reply');
    expect(health.status).toBe('degraded');
    health.failure('stall', 'no reply');
    expect(health.status).toBe('down');
    health.success(100);
    expect(health.status).toBe('down'); // 3 of the 5 samples kept failed
    for (let i = 0; i < 4; i++) health.success(100);
    expect(health.history()).toHaveLength(5);
    expect(health.status).toBe('healthy');
  });

  it('does not flap at a low error rate: status changes need evidence', () => {
    let now = 0;
    const health = new ProviderHealth('openai', { now: () => now, windowMs: 60_000 });
    const seen: string[] = [];
    health.onSample((_s, status) => { if (seen[seen.length - 1] !== status) seen.push(status); });
    // 1 failure in 20, spread out: never two in a row, rate 5 % < 10 %.
    for (let i = 0; i < 200; i++) { now += 100; if (i % 20 === 10) health.failure('error', 'boom'); else health.success(100); }
    expect(seen).toEqual(['healthy']);
    expect(health.snapshot().errorRate).toBeLessThan(0.1);
  });

  it('degrades on a sustained error rate and heals only after a run of successes below half the rate', () => {
    let now = 0;
    const health = new ProviderHealth('openai', { now: () => now, windowMs: 10_000, degradedErrorRate: 0.2, recoverSuccesses: 3 });
    const tick = (ok: boolean) => { now += 100; if (ok) health.success(100); else health.failure('error', 'boom'); };
    // One failure in three, never two in a row: the rate (33 %) is the evidence.
    for (let i = 0; i < 9; i++) tick(i % 3 !== 2);
    expect(health.status).toBe('degraded');
    // The rate falls to ~15 % (between half the threshold and the threshold): still degraded, whatever the run.
    for (let i = 0; i < 11; i++) tick(true);
    expect(health.snapshot().errorRate).toBeLessThan(0.2);
    expect(health.status).toBe('degraded');
    // Once the failures age out of the window, the run of successes brings it back.
    now += 10_000;
    tick(true);
    tick(true);
    expect(health.status).toBe('healthy');
  });

  it('degrades after two failures in a row; a lone success does not heal', () => {
    // The rate rules are kept out of this one (too few samples for them); a run of 3 successes heals.
    const health = new ProviderHealth('openai', { minSamples: 1000 });
    health.success(100);
    health.failure('error', 'a');
    expect(health.status).toBe('healthy');
    health.failure('error', 'b');
    expect(health.status).toBe('degraded');
    health.success(100);
    health.failure('error', 'c');
    health.success(100);
    health.success(100);
    expect(health.status).toBe('degraded');
    health.failure('error', 'd');
    health.failure('error', 'e');
    health.failure('error', 'f');
    expect(health.status).toBe('down');
    health.success(100);
    expect(health.status).toBe('degraded'); // one success eases down, it does not heal
    health.success(100);
    health.success(100);
    expect(health.status).toBe('healthy');
  });

  it('slow latency degrades; it heals only once the EWMA is well under the threshold', () => {
    const health = new ProviderHealth('openai', { ewmaAlpha: 1, degradedLatencyMs: 1000 });
    health.success(500);
    health.success(1100);
    expect(health.status).toBe('degraded');
    for (let i = 0; i < 3; i++) health.success(900); // under the threshold, inside the band
    expect(health.status).toBe('degraded');
    health.success(700);
    expect(health.status).toBe('healthy');
  });

  it('a first failed sample is degraded, not healthy', () => {
    const health = new ProviderHealth('openai');
    health.failure('probe', 'refused', 'probe');
    expect(health.status).toBe('degraded');
  });

  it('a probe that does not answer in time is a timeout failure', async () => {
    const health = new ProviderHealth('slow');
    const sample = await health.probe(() => new Promise(() => {}), 50);
    expect(sample).toMatchObject({ ok: false, kind: 'timeout', source: 'probe' });
    const ok = await health.probe(async () => {}, 50);
    expect(ok.ok).toBe(true);
  });
});
