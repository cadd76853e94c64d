import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { startTwoInstances, type TwoInstances } from '../support/scale-out.js';
import { signedInClient } from '../support/client.js';
import { openSocket } from '../support/ws.js';

/** Two instances on one PostgreSQL and one Redis behave as one platform. */
let a: TestServer;
let b: TestServer;
let instances: TwoInstances;

beforeAll(async () => {
  instances = await startTwoInstances();
  ({ a, b } = instances);
});
afterAll(async () => {
  await instances?.close();
});

describe('scale-out', () => {
  it('uses PostgreSQL and Redis and reports both ready', async () => {
    expect(a.platform.database.kind).toBe('postgres');
    const ready = await (await fetch(`${b.url}/ready`)).json() as { ready: boolean; checks: { name: string }[] };
    expect(ready.checks.map((c: { name: string }) => c.name)).toEqual(['database', 'migrations', 'redis']);
    expect(ready.ready).toBe(true);
  });

  it('reads on one instance a session created on the other, including its live state', async () => {
    const onA = await signedInClient(a);
    const onB = await signedInClient(b);
    const created = await onA.post('/api/v1/sessions', { channel: 'browser-voice', flow: 'booking' });
    expect(created.status).toBe(201);
    const read = await onB.get(`/api/v1/sessions/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.flow).toBe('booking');
    const live = await b.platform.sessions.liveState(created.body.id);
    expect(live).toMatchObject({ status: 'created', instanceId: a.platform.instanceId });
  });

  it('accepts on one instance a socket token issued by the other', async () => {
    const onA = await signedInClient(a);
    const created = (await onA.post('/api/v1/sessions', { channel: 'chat' })).body;
    const ws = await openSocket(`${b.url.replace('http', 'ws')}/api/v1/sessions/${created.id}/socket?token=${created.token}`);
    expect(await ws.inbox.next((m) => m.type === 'ready')).toMatchObject({ sessionId: created.id });
    ws.close();
  });

  it('delivers an event published on one instance to a socket subscriber on the other', async () => {
    const onA = await signedInClient(a);
    const onB = await signedInClient(b);
    const ws = await openSocket(`${b.url.replace('http', 'ws')}/api/v1/events`, { cookie: onB.cookie! });
    await ws.inbox.next((m) => m.type === 'ready');
    // The subscription reaches Redis asynchronously; give it a moment before publishing.
    await new Promise((r) => setTimeout(r, 200));
    const created = (await onA.post('/api/v1/sessions', { channel: 'chat' })).body;
    await onA.post(`/api/v1/sessions/${created.id}/end`, { reason: 'cross-instance' });
    const ended = await ws.inbox.next((m) => m.type === 'event' && m.event.type === 'session.ended');
    expect(ended.event.data).toMatchObject({ sessionId: created.id, reason: 'cross-instance' });
    ws.close();
  });

  it('sees a scenario switched on one instance from the other', async () => {
    const onA = await signedInClient(a);
    const onB = await signedInClient(b);
    await onA.put('/api/v1/scenario', { scenario: 'multi-provider' });
    await new Promise((r) => setTimeout(r, 2100)); // flag layers are cached for at most 2 s per instance
    const flags = (await onB.get('/api/v1/flags')).body;
    expect(flags.scenario).toBe('multi-provider');
    expect(flags.flags.find((f: { name: string }) => f.name === 'provider-failover').enabled).toBe(true);
  });
});
