import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { errorSchema } from '../../src/contracts/common.js';
import { operations, socketEndpoints, type OperationName } from '../../src/contracts/operations.js';
import { openApiPath } from '../../src/http/route.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signedInClient, TestClient, type ApiResponse } from '../support/client.js';
import { FakeCarrierClient, liveCall } from '../support/calls.js';
import { liveFailoverCall } from '../ai-router/live-failover-call.js';

/**
 * Walks every operation of /openapi.json and checks a real response of each against its contract schema.
 * An operation without a check here fails the test: adding a route means adding its check.
 */
type Check = (ctx: { admin: TestClient; anon: TestClient; ids: Record<string, string>; server: TestServer }) => Promise<ApiResponse>;

const checks: Record<OperationName, Check> = {
  health: ({ anon }) => anon.get('/health'),
  ready: ({ anon }) => anon.get('/ready'),
  login: ({ anon }) => anon.login(),
  logout: async ({ anon }) => { await anon.login(); return anon.post('/api/v1/auth/logout'); },
  me: ({ admin }) => admin.get('/api/v1/auth/me'),
  listUsers: ({ admin }) => admin.get('/api/v1/users?limit=5'),
  createUser: ({ admin }) => admin.post('/api/v1/users', { email: 'sup@demo.test', name: 'Sup', role: 'supervisor', password: 'supervisor-pw' }),
  getUser: async ({ admin }) => admin.get(`/api/v1/users/${(await admin.get('/api/v1/auth/me')).body.user.id}`),
  setUserQueues: async ({ admin }) => admin.put(`/api/v1/users/${(await admin.get('/api/v1/auth/me')).body.user.id}/queues`, { queues: ['general'] }),
  listApiKeys: ({ admin }) => admin.get('/api/v1/api-keys'),
  createApiKey: async ({ admin, ids }) => { const r = await admin.post('/api/v1/api-keys', { name: 'contract' }); ids['key'] = r.body.id; return r; },
  revokeApiKey: ({ admin, ids }) => admin.delete(`/api/v1/api-keys/${ids['key']}`),
  listWidgetKeys: ({ admin }) => admin.get('/api/v1/widget-keys'),
  createWidgetKey: ({ admin }) => admin.post('/api/v1/widget-keys', { name: 'contract', allowedOrigins: ['https://shop.example.com'], flow: 'appointment-booking' }),
  revokeWidgetKey: async ({ admin }) => {
    const key = await admin.post('/api/v1/widget-keys', { name: 'revoked', allowedOrigins: ['https://shop.example.com'], flow: 'appointment-booking' });
    return admin.delete(`/api/v1/widget-keys/${key.body.id}`);
  },
  startWidgetCall: async ({ admin, anon, server: s }) => {
    const key = await admin.post('/api/v1/widget-keys', { name: 'voice', allowedOrigins: ['https://shop.example.com'], flow: 'appointment-booking' });
    const keyRow = (await s.platform.repos.widget.keyByValue(key.body.key))!;
    const { token } = await s.platform.widget.conversations.open(keyRow, undefined);
    return anon.request('POST', '/api/v1/widget/calls', { key: key.body.key, contact: token }, { origin: 'https://shop.example.com' });
  },
  contactTimeline: async ({ admin, server: s }) => {
    const key = await admin.post('/api/v1/widget-keys', { name: 'timeline', allowedOrigins: ['https://shop.example.com'], flow: 'appointment-booking' });
    const tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id as string;
    const contact = await s.platform.repos.widget.createContact(tenantId, key.body.id);
    return admin.get(`/api/v1/contacts/${contact.id}/timeline`);
  },
  listFlags: ({ admin }) => admin.get('/api/v1/flags'),
  setFlag: ({ admin }) => admin.put('/api/v1/flags/sentiment', { value: '30%' }),
  clearFlag: ({ admin }) => admin.delete('/api/v1/flags/sentiment'),
  listFlagChanges: ({ admin }) => admin.get('/api/v1/flags/changes'),
  listScenarios: ({ admin }) => admin.get('/api/v1/scenarios'),
  setScenario: ({ admin }) => admin.put('/api/v1/scenario', { scenario: 'ai-first' }),
  createSession: async ({ admin, ids }) => { const r = await admin.post('/api/v1/sessions', { channel: 'phone', phoneNumber: '+14155550100' }); ids['session'] = r.body.id; return r; },
  listSessions: ({ admin }) => admin.get('/api/v1/sessions'),
  getSession: ({ admin, ids }) => admin.get(`/api/v1/sessions/${ids['session']}`),
  endSession: ({ admin, ids }) => admin.post(`/api/v1/sessions/${ids['session']}/end`, {}),
  // Call checks run in whatever order the document lists them: each makes what it needs.
  createCall: ({ admin }) => admin.post('/api/v1/calls', { to: '+14155550123', carrier: 'telnyx' }),
  hangupCall: async ({ admin }) => {
    const call = await admin.post('/api/v1/calls', { to: '+14155550125', carrier: 'telnyx' });
    return admin.post(`/api/v1/calls/${call.body.id}/hangup`, { reason: 'contract' });
  },
  transferCall: async ({ admin, server: s }) => admin.post(`/api/v1/calls/${(await liveCall(s.platform)).callId}/transfer`, { to: '+14155550124' }),
  listTransferAgents: ({ admin }) => admin.get('/api/v1/transfer-agents'),
  takeoverCall: async ({ admin, server: s }) => admin.post(`/api/v1/calls/${(await liveCall(s.platform)).callId}/takeover`, {}),
  resumeCallAi: async ({ admin, server: s }) => {
    const { callId } = await liveCall(s.platform);
    await admin.post(`/api/v1/calls/${callId}/takeover`, {});
    return admin.post(`/api/v1/calls/${callId}/resume-ai`, {});
  },
  holdCall: async ({ admin, server: s }) => admin.post(`/api/v1/calls/${(await liveCall(s.platform)).callId}/hold`, {}),
  resumeCall: async ({ admin, server: s }) => {
    const { callId } = await liveCall(s.platform);
    await admin.post(`/api/v1/calls/${callId}/hold`, {});
    return admin.post(`/api/v1/calls/${callId}/resume`, {});
  },
  listCalls: ({ admin }) => admin.get('/api/v1/calls?limit=5&direction=inbound'),
  getCall: async ({ admin, ids, server: s }) => admin.get(`/api/v1/calls/${await recordedCall(s, ids)}`),
  getCallRecording: async ({ admin, ids, server: s }) => admin.get(`/api/v1/calls/${await recordedCall(s, ids)}/recording`),
  listCarriers: ({ admin }) => admin.get('/api/v1/carriers'),
  getCarrier: ({ admin }) => admin.get('/api/v1/carriers/twilio'),
  getSimulatorCredentials: ({ admin }) => admin.get('/api/v1/carriers/telnyx/simulator-credentials'),
  putCarrier: ({ admin }) => admin.put('/api/v1/carriers/twilio', { accountSid: `AC${'a'.repeat(32)}`, authToken: 'a-real-looking-auth-token' }),
  deleteCarrier: ({ admin }) => admin.delete('/api/v1/carriers/twilio'),
  listNumbers: ({ admin }) => admin.get('/api/v1/numbers?carrier=twilio'),
  createNumber: ({ admin }) => admin.post('/api/v1/numbers', { number: '+14155550177', carrier: 'telnyx', agentKind: 'voicemail', greeting: 'Hi' }),
  getNumber: async ({ admin }) => admin.get(`/api/v1/numbers/${(await newNumber(admin, '+14155550178')).id}`),
  updateNumber: async ({ admin }) => admin.put(`/api/v1/numbers/${(await newNumber(admin, '+14155550179')).id}`, { agentKind: 'echo', options: { maxMs: 60000 } }),
  deleteNumber: async ({ admin }) => admin.delete(`/api/v1/numbers/${(await newNumber(admin, '+14155550180')).id}`),
  listFlows: ({ admin }) => admin.get('/api/v1/flows?limit=5'),
  createFlow: ({ admin }) => admin.post('/api/v1/flows', { definition: smallFlow('contract-create') }),
  validateFlow: ({ admin }) => admin.post('/api/v1/flows/validate', { definition: { ...smallFlow('contract-validate'), start: 'nowhere' } }),
  getProvidersHealth: ({ admin }) => admin.get('/api/v1/providers/health'),
  getProvidersHealthHistory: ({ admin }) => admin.get('/api/v1/providers/health/history?provider=local&limit=10'),
  getProviderRouting: ({ admin }) => admin.get('/api/v1/providers/routing'),
  putProviderRouting: ({ admin }) => admin.put('/api/v1/providers/routing', { policy: 'round_robin', providers: [{ name: 'local', enabled: true, weight: 2 }] }),
  deleteProviderRouting: ({ admin }) => admin.delete('/api/v1/providers/routing?flow=appointment-booking'),
  switchCallProvider: async ({ admin, server: s }) => {
    const call = await liveFailoverCall(s.platform, '+14155550190');
    try { return await admin.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'second', reason: 'contract' }); } finally { await call.close(); }
  },
  getFlow: ({ admin }) => admin.get('/api/v1/flows/appointment-booking'),
  listFlowVersions: ({ admin }) => admin.get('/api/v1/flows/order-status/versions'),
  getFlowVersion: ({ admin }) => admin.get('/api/v1/flows/billing-support/versions/1'),
  createFlowVersion: async ({ admin }) => {
    await admin.post('/api/v1/flows', { definition: smallFlow('contract-version') });
    return admin.post('/api/v1/flows/contract-version/versions', { definition: smallFlow('contract-version') });
  },
  publishFlowVersion: async ({ admin }) => {
    await admin.post('/api/v1/flows', { definition: smallFlow('contract-publish') });
    return admin.post('/api/v1/flows/contract-publish/versions/1/publish');
  },
};

/** An ended call with a recording: a FakeLeg call on the demo echo number that heard one frame and hung up. */
async function recordedCall(s: TestServer, ids: Record<string, string>): Promise<string> {
  if (ids['recorded']) return ids['recorded'];
  const call = await liveCall(s.platform);
  call.leg.say(new Uint8Array(160).fill(0x55), 0);
  call.leg.drop();
  await call.session.end('completed', 'caller-hangup', 'caller');
  await s.platform.calls.records.settled(call.callId);
  return (ids['recorded'] = call.callId);
}

/** A one-step flow definition. */
function smallFlow(id: string) {
  return { id, name: `Flow ${id}`, languages: ['en-US'], start: 'bye', steps: { bye: { type: 'end', text: { 'en-US': 'Goodbye.' } } } };
}

async function newNumber(admin: TestClient, number: string): Promise<{ id: string }> {
  return (await admin.post('/api/v1/numbers', { number, carrier: 'twilio', agentKind: 'echo' })).body as { id: string };
}

let server: TestServer;
let doc: { paths: Record<string, Record<string, unknown>> };
beforeAll(async () => {
  server = await startTestServer();
  server.platform.carrierClients.register('telnyx', new FakeCarrierClient());
  doc = await (await fetch(`${server.url}/openapi.json`)).json() as typeof doc;
});
afterAll(async () => { await server.close(); });

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every /api route of the server', async () => {
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
    // CORS preflights (OPTIONS, e.g. the widget's cross-origin call start) answer the browser, not API clients.
    const registered = server.app.routeTable.filter((r) => r.url.startsWith('/api/') && r.method !== 'OPTIONS').map((r) => `${r.method.toLowerCase()} ${openApiPath(r.url)}`);
    expect(registered.length).toBeGreaterThanOrEqual(Object.keys(operations).length - 2);
    for (const key of registered) {
      const [method, path] = key.split(' ') as [string, string];
      expect(doc.paths[path]?.[method], key).toBeDefined();
    }
    for (const socket of Object.values(socketEndpoints)) expect(doc.paths[openApiPath(socket.path)]?.['get']).toBeDefined();
  });

  it('has a checked real response for every operation', async () => {
    const byKey = new Map(Object.entries(operations).map(([name, op]) => [`${op.method.toLowerCase()} ${openApiPath(op.path)}`, name as OperationName]));
    const ctx = { admin: await signedInClient(server), anon: new TestClient(server.url), ids: {} as Record<string, string>, server };
    const unchecked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        if (Object.values(socketEndpoints).some((s) => openApiPath(s.path) === path)) continue; // checked in sessions.test.ts
        const name = byKey.get(`${method} ${path}`);
        const check = name ? checks[name] : undefined;
        if (!name || !check) { unchecked.push(`${method.toUpperCase()} ${path}`); continue; }
        const response = await check(ctx);
        const schema = (operations[name].responses as Record<number, z.ZodType>)[response.status];
        expect(schema, `${name} answered ${response.status}: ${JSON.stringify(response.body)}`).toBeDefined();
        const parsed = schema!.safeParse(response.body);
        expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
    expect(unchecked).toEqual([]);
  });

  it('answers errors in the one shape', async () => {
    const anon = new TestClient(server.url);
    for (const res of [await anon.get('/api/v1/users'), await anon.get('/api/v1/nope'), await anon.post('/api/v1/auth/login', { email: 1 })]) {
      expect(errorSchema.safeParse(res.body).success, JSON.stringify(res.body)).toBe(true);
    }
  });
});
