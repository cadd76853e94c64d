/** `POST /api/v1/calls/:id/provider`: a supervisor moves a live AI call to another provider. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveCall } from '../support/calls.js';
import { signedInClient, TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { liveFailoverCall } from './live-failover-call.js';

let server: TestServer;
let admin: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
});
afterAll(async () => { await server.close(); });

const timeline = async (id: string) => (await admin.get(`/api/v1/calls/${id}`)).body.timeline as Array<{ type: string; data: Record<string, unknown> }>;

describe('manual provider switch', () => {
  it('moves the live call and records a manual switch on its timeline; a supervisor may, an agent may not', async () => {
    const call = await liveFailoverCall(server.platform, '+14155550191');
    try {
      await admin.post('/api/v1/users', { email: 'sup-switch@demo.test', name: 'Sup', role: 'supervisor', password: 'supervisor-pw' });
      await admin.post('/api/v1/users', { email: 'agent-switch@demo.test', name: 'Ag', role: 'agent', password: 'agent-pw-123' });
      const agent = new TestClient(server.url);
      await agent.login('agent-switch@demo.test', 'agent-pw-123');
      expect((await agent.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'second' })).status).toBe(403);

      const sup = new TestClient(server.url);
      expect((await sup.login('sup-switch@demo.test', 'supervisor-pw')).status).toBe(200);
      const res = await sup.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'second', reason: 'first sounds robotic' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.switch).toMatchObject({ from: 'first', to: 'second', reason: 'manual', detail: 'first sounds robotic', switchMs: expect.any(Number) });
      expect(call.fakes[1]!.connections.length).toBe(1);
      const events = await timeline(call.callId);
      expect(events.find((e) => e.type === 'provider.switched')?.data).toMatchObject({ from: 'first', to: 'second', reason: 'manual', detail: 'first sounds robotic' });

      expect((await admin.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'second' })).status).toBe(409); // already there
      const unknown = await admin.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'nope' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error.message).toContain('available: ');
    } finally {
      await call.close();
    }
  }, 20_000);

  it('404 for an unknown call, 409 for an ended call or one without a provider agent', async () => {
    expect((await admin.post('/api/v1/calls/00000000-0000-4000-8000-000000000000/provider', { provider: 'second' })).status).toBe(404);
    const echo = await liveCall(server.platform);
    const notAi = await admin.post(`/api/v1/calls/${echo.callId}/provider`, { provider: 'second' });
    expect(notAi.status).toBe(409);
    expect(notAi.body.error.message).toContain('not on a provider agent');
    await echo.session.end('completed', 'caller-hangup', 'caller');
    const ended = await admin.post(`/api/v1/calls/${echo.callId}/provider`, { provider: 'second' });
    expect(ended.status).toBe(409);
    expect(ended.body.error.message).toContain('not live');
  });

  it('403 while the manual-provider-switch flag is off for the tenant', async () => {
    expect((await admin.put('/api/v1/flags/manual-provider-switch', { value: 'off' })).status).toBe(200);
    try {
      const res = await admin.post('/api/v1/calls/00000000-0000-4000-8000-000000000000/provider', { provider: 'second' });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('manual-provider-switch');
    } finally {
      await admin.delete('/api/v1/flags/manual-provider-switch');
    }
  });
});
