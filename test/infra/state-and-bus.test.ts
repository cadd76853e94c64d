import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/contracts/events.js';
import { MemoryBus, RedisBus, type Bus } from '../../src/infra/bus.js';
import { MemorySessionState, RedisSessionState, type SessionState } from '../../src/infra/session-state.js';
import { REDIS_URL } from '../support/services.js';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of closers) await c(); });

/** The same behaviour from the in-process default and from Redis. */
describe.each([
  ['memory', () => new MemorySessionState()],
  ['redis', () => new RedisSessionState(REDIS_URL, `sbtest:${randomUUID()}:`)],
] as const)('SessionState (%s)', (_name, make) => {
  const state: SessionState = make();
  closers.push(() => state.close());

  it('stores, reads and deletes live state', async () => {
    const id = randomUUID();
    await state.put({ sessionId: id, tenantId: 't', status: 'active', instanceId: 'i', updatedAt: new Date().toISOString(), data: { n: 1 } }, 60_000);
    expect((await state.get(id))?.data).toEqual({ n: 1 });
    await state.delete(id);
    expect(await state.get(id)).toBeNull();
  });

  it('forgets state after its TTL', async () => {
    const id = randomUUID();
    await state.put({ sessionId: id, tenantId: 't', status: 'created', instanceId: 'i', updatedAt: new Date().toISOString(), data: {} }, 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await state.get(id)).toBeNull();
  });
});

describe.each([
  ['memory', () => new MemoryBus()],
  ['redis', () => new RedisBus(REDIS_URL, `sbtest:${randomUUID()}:`)],
] as const)('Bus (%s)', (name, make) => {
  const bus: Bus = make();
  closers.push(() => bus.close());

  const event = (tenantId: string, type = 'session.created'): DomainEvent => ({ id: randomUUID(), type, tenantId, at: new Date().toISOString(), data: { x: 1 } });

  async function listen(tenantId: string, got: DomainEvent[]) {
    return bus instanceof RedisBus ? bus.subscribeReady(tenantId, (e) => got.push(e)) : bus.subscribe(tenantId, (e) => got.push(e));
  }

  it('delivers a tenant\'s events only to that tenant\'s listeners', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const gotA: DomainEvent[] = [];
    const gotB: DomainEvent[] = [];
    const stopA = await listen(a, gotA);
    const stopB = await listen(b, gotB);
    await bus.publish(event(a));
    await new Promise((r) => setTimeout(r, name === 'redis' ? 100 : 0));
    expect(gotA).toHaveLength(1);
    expect(gotB).toHaveLength(0);
    stopA(); stopB();
  });

  it('stops delivering after unsubscribe', async () => {
    const a = randomUUID();
    const got: DomainEvent[] = [];
    const stop = await listen(a, got);
    stop();
    await bus.publish(event(a));
    await new Promise((r) => setTimeout(r, name === 'redis' ? 100 : 0));
    expect(got).toHaveLength(0);
  });
});
