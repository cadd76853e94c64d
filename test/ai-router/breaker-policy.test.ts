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
    expect(health.snapshot()).toMatchObject({ status: 'degraded', lastFailure: { at: 10, kind: 'closed', reason: 'socket closed' } });
    health.failure('stall', 'no reply');
    health.failure('stall', 'no reply');
    expect(health.status).toBe('down');
    for (let i = 0; i < 5; i++) health.success(100);
    expect(health.history()).toHaveLength(5);
    expect(health.status).toBe('healthy');
  });

  it('a probe that does not answer in time is a timeout failure', async () => {
    const health = new ProviderHealth('slow');
    const sample = await health.probe(() => new Promise(() => {}), 50);
    expect(sample).toMatchObject({ ok: false, kind: 'timeout', source: 'probe' });
    const ok = await health.probe(async () => {}, 50);
    expect(ok.ok).toBe(true);
  });
});
