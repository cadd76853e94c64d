/** `GET`/`PUT /api/v1/providers/routing`: per-tenant routing, defaulted from the scenario, used when a call picks providers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGeminiLive } from '../fakes/ai/gemini-live-server.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { liveCall } from '../support/calls.js';
import { signedInClient, TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

let openai: FakeOpenAiRealtime;
let gemini: FakeGeminiLive;
let server: TestServer;
let admin: TestClient;
beforeAll(async () => {
  openai = await new FakeOpenAiRealtime({ apiKey: 'test' }).start();
  gemini = await new FakeGeminiLive({ apiKey: 'test' }).start();
  server = await startTestServer({ env: { OPENAI_API_KEY: 'test', OPENAI_REALTIME_URL: openai.url, GEMINI_API_KEY: 'test', GEMINI_LIVE_URL: gemini.url } });
  admin = await signedInClient(server);
});
afterAll(async () => { await server.close(); await openai.close(); await gemini.close(); });

type Routing = { policy: string; source: string; flow: string | null; updatedBy: string | null; providers: Array<{ name: string; priority: number; weight: number; enabled: boolean; status: string; breaker: string }> };

describe('provider routing per tenant', () => {
  it('defaults from the active scenario, stores an admin\'s policy, lists every provider with health and breaker', async () => {
    expect((await admin.put('/api/v1/scenario', { scenario: 'basic' })).status).toBe(200);
    const basic = (await admin.get('/api/v1/providers/routing')).body as Routing;
    expect(basic.source).toBe('scenario');
    expect(basic.providers.map((p) => p.name)).toEqual(['local', 'openai', 'gemini']); // scenario's first, then the rest
    expect((await admin.put('/api/v1/scenario', { scenario: 'multi-provider' })).status).toBe(200);
    const multi = (await admin.get('/api/v1/providers/routing')).body as Routing;
    expect(multi).toMatchObject({ policy: 'priority', source: 'scenario', updatedBy: null });
    expect(multi.providers.map((p) => [p.name, p.priority, p.enabled])).toEqual([['openai', 0, true], ['gemini', 1, true], ['local', 2, true]]);
    expect(multi.providers[0]).toMatchObject({ status: expect.stringMatching(/healthy|unknown|degraded|down/), breaker: 'closed' });

    const put = await admin.put('/api/v1/providers/routing', { policy: 'weighted', providers: [{ name: 'gemini', weight: 3, enabled: true }, { name: 'openai', enabled: false }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const stored = (await admin.get('/api/v1/providers/routing')).body as Routing;
    expect(stored).toMatchObject({ policy: 'weighted', source: 'tenant', updatedBy: expect.any(String) });
    expect(stored.providers.map((p) => [p.name, p.weight, p.enabled])).toEqual([['gemini', 3, true], ['openai', 1, false], ['local', 1, true]]);
    expect((await server.platform.repos.providerRouting.get((await admin.get('/api/v1/auth/me')).body.tenant.id))?.policy).toBe('weighted');
  });

  it('refuses unknown or repeated providers (422) and non-admins (403); analysts may read', async () => {
    expect((await admin.put('/api/v1/providers/routing', { policy: 'priority', providers: [{ name: 'nope', enabled: true }] })).status).toBe(422);
    expect((await admin.put('/api/v1/providers/routing', { policy: 'priority', providers: [{ name: 'openai', enabled: true }, { name: 'openai', enabled: false }] })).status).toBe(422);
    expect((await admin.put('/api/v1/providers/routing', { policy: 'fastest', providers: [] })).status).toBe(400);
    await admin.post('/api/v1/users', { email: 'analyst-routing@demo.test', name: 'An', role: 'analyst', password: 'analyst-pw-123' });
    const analyst = new TestClient(server.url);
    await analyst.login('analyst-routing@demo.test', 'analyst-pw-123');
    expect((await analyst.get('/api/v1/providers/routing')).status).toBe(200);
    expect((await analyst.put('/api/v1/providers/routing', { policy: 'priority', providers: [] })).status).toBe(403);
  });

  it('a call of the tenant picks its providers by the stored routing (openai disabled: gemini answers)', async () => {
    expect((await admin.put('/api/v1/providers/routing', { policy: 'priority', providers: [{ name: 'openai', enabled: false }, { name: 'gemini', enabled: true }] })).status).toBe(200);
    const created = await admin.post('/api/v1/numbers', { number: '+15005550031', carrier: 'twilio', agentKind: 'ai', options: {} });
    expect(created.status).toBe(201);
    const call = await liveCall(server.platform, { to: '+15005550031' });
    try {
      const detail = await server.platform.calls.detail(call.tenantId, call.callId);
      expect(detail!.timeline.find((e) => e.type === 'ai.session_started')?.data).toMatchObject({ provider: 'gemini', session: 'gemini-live' });
    } finally {
      await call.session.hangup('test-done', 'platform');
    }
  }, 20_000);
});

describe('provider routing per flow', () => {
  const tenantId = async () => ((await admin.get('/api/v1/auth/me')).body as { tenant: { id: string } }).tenant.id;

  it('an ai number naming a flow answers by the flow\'s routing, not the tenant\'s', async () => {
    expect((await admin.put('/api/v1/providers/routing', { policy: 'priority', providers: [{ name: 'openai', enabled: false }, { name: 'gemini', enabled: true }] })).status).toBe(200);
    expect((await admin.put('/api/v1/providers/routing?flow=billing-support', { policy: 'priority', providers: [{ name: 'openai', enabled: true }, { name: 'gemini', enabled: false }] })).status).toBe(200);
    const flowId = (await admin.get('/api/v1/flows/billing-support')).body.id as string;
    const created = await admin.post('/api/v1/numbers', { number: '+15005550032', carrier: 'twilio', agentKind: 'ai', flowId, options: {} });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const call = await liveCall(server.platform, { to: '+15005550032' });
    try {
      const detail = await server.platform.calls.detail(call.tenantId, call.callId);
      expect(detail!.timeline.find((e) => e.type === 'ai.session_started')?.data).toMatchObject({ provider: 'openai' });
    } finally {
      await call.session.hangup('test-done', 'platform');
      await admin.delete('/api/v1/providers/routing?flow=billing-support');
    }
  }, 20_000);

  it('a flow\'s own routing (by key or id) wins over the tenant\'s for calls naming the flow; dropping it falls back', async () => {
    expect((await admin.put('/api/v1/providers/routing', { policy: 'priority', providers: [{ name: 'openai', enabled: true }, { name: 'gemini', enabled: true }] })).status).toBe(200);
    const before = (await admin.get('/api/v1/providers/routing?flow=order-status')).body as Routing;
    expect(before).toMatchObject({ source: 'tenant', flow: 'order-status' }); // no override yet: the tenant's applies

    const put = await admin.put('/api/v1/providers/routing?flow=order-status', { policy: 'round_robin', providers: [{ name: 'gemini', enabled: true }, { name: 'openai', enabled: false }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ policy: 'round_robin', source: 'flow', flow: 'order-status', updatedBy: expect.any(String) });
    const flowId = (await admin.get('/api/v1/flows/order-status')).body.id as string;
    const byId = (await admin.get(`/api/v1/providers/routing?flow=${flowId}`)).body as Routing;
    expect(byId.providers.map((p) => [p.name, p.enabled])).toEqual([['gemini', true], ['openai', false], ['local', true]]);
    // The tenant's routing and the other flows are untouched.
    expect(((await admin.get('/api/v1/providers/routing')).body as Routing)).toMatchObject({ policy: 'priority', source: 'tenant', flow: null });
    expect(((await admin.get('/api/v1/providers/routing?flow=billing-support')).body as Routing).source).toBe('tenant');

    // What a call picks: the flow it names (number or metadata, by key or id); none or an unknown one: the tenant's.
    const routing = server.platform.providerRouting;
    expect((await routing.forCall(await tenantId(), 'order-status')).source).toBe('flow');
    expect((await routing.forCall(await tenantId(), flowId)).policy).toBe('round_robin');
    expect((await routing.forCall(await tenantId(), 'no-such-flow')).source).toBe('tenant');
    expect((await routing.forCall(await tenantId(), null)).source).toBe('tenant');

    const dropped = await admin.delete('/api/v1/providers/routing?flow=order-status');
    expect(dropped.status).toBe(200);
    expect(dropped.body).toMatchObject({ policy: 'priority', source: 'tenant', flow: 'order-status' });
    expect(await server.platform.repos.providerRouting.getForFlow(await tenantId(), flowId)).toBeNull();
    // Dropping the tenant's goes back to the scenario's.
    expect(((await admin.delete('/api/v1/providers/routing')).body as Routing).source).toMatch(/scenario|default/);
  });

  it('an unknown flow is 404; only admins may set or drop a flow\'s routing', async () => {
    expect((await admin.get('/api/v1/providers/routing?flow=no-such-flow')).status).toBe(404);
    expect((await admin.put('/api/v1/providers/routing?flow=no-such-flow', { policy: 'priority', providers: [] })).status).toBe(404);
    expect((await admin.delete('/api/v1/providers/routing?flow=no-such-flow')).status).toBe(404);
    expect((await admin.put('/api/v1/providers/routing?flow=order-status', { policy: 'priority', providers: [{ name: 'nope', enabled: true }] })).status).toBe(422);
    await admin.post('/api/v1/users', { email: 'supervisor-routing@demo.test', name: 'Su', role: 'supervisor', password: 'supervisor-pw-123' });
    const supervisor = new TestClient(server.url);
    await supervisor.login('supervisor-routing@demo.test', 'supervisor-pw-123');
    expect((await supervisor.get('/api/v1/providers/routing?flow=order-status')).status).toBe(200);
    expect((await supervisor.put('/api/v1/providers/routing?flow=order-status', { policy: 'priority', providers: [] })).status).toBe(403);
    expect((await supervisor.delete('/api/v1/providers/routing?flow=order-status')).status).toBe(403);
  });
});
