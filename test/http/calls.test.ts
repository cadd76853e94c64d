import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../../src/media/index.js';
import { DEMO_ECHO_NUMBER, FakeCarrierClient, liveCall } from '../support/calls.js';
import { signedInClient, TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** The calls, carriers and numbers API: roles, tenant isolation, recordings with Range, secrets that never leave. */
let server: TestServer;
let admin: TestClient;
let agent: TestClient;
let analyst: TestClient;
let other: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
  const { accounts, repos } = server.platform;
  const demo = (await repos.tenants.bySlug('demo'))!;
  await accounts.createUser(demo.id, { email: 'agent@demo.test', name: 'Agent', role: 'agent', password: 'agent-password' });
  await accounts.createUser(demo.id, { email: 'analyst@demo.test', name: 'Analyst', role: 'analyst', password: 'analyst-password' });
  const tenant = await repos.tenants.create({ name: 'Other', slug: 'other' });
  await accounts.createUser(tenant.id, { email: 'boss@other.test', name: 'Boss', role: 'admin', password: 'other-password' });
  agent = await signedInClient(server, 'agent@demo.test', 'agent-password');
  analyst = await signedInClient(server, 'analyst@demo.test', 'analyst-password');
  other = await signedInClient(server, 'boss@other.test', 'other-password');
});
afterAll(async () => { await server.close(); });

/** A finished call with about `seconds` of recorded audio. */
async function recorded(seconds = 1) {
  const call = await liveCall(server.platform);
  for (let i = 0; i < seconds * 50; i++) call.leg.say(new Uint8Array(160).fill(0x40 + (i % 8)), i * 20);
  call.leg.drop();
  await call.session.end('completed', 'caller-hangup', 'caller');
  await server.platform.calls.records.settled(call.callId);
  return call.callId;
}

const raw = async (path: string, client: TestClient, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers: { cookie: client.cookie!, ...headers } });

describe('demo telephony seed', () => {
  it('gives the demo tenant test numbers and demo credentials, whose secrets the simulator can read back', async () => {
    const numbers = (await admin.get('/api/v1/numbers')).body.items.map((n: { number: string; agentKind: string }) => `${n.number}:${n.agentKind}`);
    expect(numbers).toEqual(expect.arrayContaining([`${DEMO_ECHO_NUMBER}:echo`, '+15005550007:echo', '+15005550008:voicemail']));
    const carriers = (await admin.get('/api/v1/carriers')).body.items;
    expect(carriers).toEqual([
      expect.objectContaining({ carrier: 'twilio', configured: true, demo: true, accountId: expect.stringMatching(/^AC[0-9a-f]{32}$/) }),
      expect.objectContaining({ carrier: 'telnyx', configured: true, demo: true, publicKey: expect.any(String) }),
    ]);
    const twilio = (await admin.get('/api/v1/carriers/twilio/simulator-credentials')).body;
    expect(twilio).toMatchObject({ demo: true, authToken: expect.any(String), numbers: expect.arrayContaining([DEMO_ECHO_NUMBER]) });
    expect(JSON.stringify(carriers)).not.toContain(twilio.authToken);

    // The Telnyx demo key pair really pairs: what the simulator signs, the server's stored public key verifies.
    const telnyx = (await admin.get('/api/v1/carriers/telnyx/simulator-credentials')).body;
    const signed = Buffer.from('1700000000|{"data":{}}');
    const signature = sign(null, signed, createPrivateKey({ key: Buffer.from(telnyx.privateKey, 'base64'), format: 'der', type: 'pkcs8' }));
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(telnyx.publicKey, 'base64')]);
    expect(verify(null, signed, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature)).toBe(true);
    expect((await agent.get('/api/v1/carriers/telnyx/simulator-credentials')).status).toBe(403);
  });
});

describe('carrier accounts', () => {
  it('stores real credentials encrypted, shows only the public parts, and stops serving them to the simulator', async () => {
    const token = 'real-auth-token-of-a-tenant';
    const put = await other.put('/api/v1/carriers/twilio', { accountSid: `AC${'b'.repeat(32)}`, authToken: token });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ carrier: 'twilio', configured: true, accountId: `AC${'b'.repeat(32)}`, publicKey: null, demo: false, updatedAt: expect.any(String) });
    expect(JSON.stringify((await other.get('/api/v1/carriers')).body)).not.toContain(token);
    const stored = await server.platform.repos.carrierAccounts.list((await server.platform.repos.tenants.bySlug('other'))!.id);
    expect(stored[0]!.credentials).not.toContain(token);
    expect((await other.get('/api/v1/carriers/twilio/simulator-credentials')).status).toBe(404);
    expect((await other.put('/api/v1/carriers/twilio', { apiKey: 'KEY123456789', publicKey: Buffer.alloc(32).toString('base64') })).status).toBe(400);
    expect((await other.put('/api/v1/carriers/telnyx', { apiKey: 'KEY123456789', publicKey: 'short' })).status).toBe(400);
    expect((await other.delete('/api/v1/carriers/twilio')).body).toMatchObject({ configured: false });
    expect((await agent.put('/api/v1/carriers/twilio', { accountSid: `AC${'c'.repeat(32)}`, authToken: token })).status).toBe(403);
  });
});

describe('phone numbers', () => {
  it('creates, changes and removes numbers; refuses duplicates and agents this server does not have', async () => {
    const created = await other.post('/api/v1/numbers', { number: '+14155550301', carrier: 'twilio', agentKind: 'voicemail', greeting: 'Leave one.', options: { maxMs: 30000 } });
    expect(created.status).toBe(201);
    expect((await other.post('/api/v1/numbers', { number: '+14155550301', carrier: 'telnyx' })).status).toBe(409);
    expect((await admin.post('/api/v1/numbers', { number: '+14155550301', carrier: 'telnyx' })).status).toBe(409); // unique across tenants
    const bad = await other.post('/api/v1/numbers', { number: '+14155550302', carrier: 'twilio', agentKind: 'robot' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/known: echo, flow, voicemail/);
    expect((await other.put(`/api/v1/numbers/${created.body.id}`, { agentKind: 'echo', greeting: null })).body).toMatchObject({ agentKind: 'echo', greeting: null });
    expect((await admin.get(`/api/v1/numbers/${created.body.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/v1/numbers/${created.body.id}`)).status).toBe(404);
    expect((await agent.post('/api/v1/numbers', { number: '+14155550303', carrier: 'twilio' })).status).toBe(403);
    expect((await other.delete(`/api/v1/numbers/${created.body.id}`)).status).toBe(200);
    expect((await other.get(`/api/v1/numbers/${created.body.id}`)).status).toBe(404);
  });
});

describe('calls API', () => {
  it('downloads a recording whole or by byte range', async () => {
    const id = await recorded(1);
    const whole = await raw(`/api/v1/calls/${id}/recording`, analyst);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(Number(whole.headers.get('content-length'))).toBe(bytes.length);
    const wav = readWav(bytes);
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 2 });
    expect(wav.samples.length).toBeGreaterThanOrEqual(2 * 8000);

    const head = await raw(`/api/v1/calls/${id}/recording`, admin, { range: 'bytes=0-43' });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-43/${bytes.length}`);
    const headBytes = new Uint8Array(await head.arrayBuffer());
    expect(Buffer.from(headBytes).toString('latin1', 0, 4)).toBe('RIFF');
    expect(headBytes).toEqual(bytes.subarray(0, 44));

    const tail = await raw(`/api/v1/calls/${id}/recording`, admin, { range: 'bytes=-100' });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 100));
    const middle = await raw(`/api/v1/calls/${id}/recording`, admin, { range: 'bytes=1000-1999' });
    expect(new Uint8Array(await middle.arrayBuffer())).toEqual(bytes.subarray(1000, 2000));

    const past = await raw(`/api/v1/calls/${id}/recording`, admin, { range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(((await past.json()) as { error: { code: string } }).error.code).toBe('range_not_satisfiable');
    expect((await new TestClient(server.url).get(`/api/v1/calls/${id}/recording`)).status).toBe(401);
  });

  it('lists calls newest first with filters and a cursor, and shows one call with its timeline', async () => {
    const ids = [await recorded(0), await recorded(0), await recorded(0)];
    const page1 = (await agent.get('/api/v1/calls?limit=2&carrier=twilio&direction=inbound')).body;
    expect(page1.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await agent.get(`/api/v1/calls?limit=2&carrier=twilio&direction=inbound&cursor=${page1.nextCursor}`)).body;
    expect(page2.items[0].id).toBe(ids[0]);
    expect((await agent.get('/api/v1/calls?state=busy')).body.items).toEqual([]);
    expect((await agent.get('/api/v1/calls?q=4155550100')).body.items.length).toBeGreaterThanOrEqual(3);
    expect((await agent.get('/api/v1/calls?state=bogus')).status).toBe(400);
    const detail = (await analyst.get(`/api/v1/calls/${ids[0]}`)).body;
    expect(detail).toMatchObject({ state: 'completed', from: '+14155550100', to: DEMO_ECHO_NUMBER, transcript: [] });
    expect(detail.timeline[0]).toMatchObject({ type: 'state', data: { to: 'ringing' } });
  });

  it('places outbound calls only through a configured carrier, and says clearly when it cannot', async () => {
    const none = await other.post('/api/v1/calls', { to: '+14155550400' });
    expect(none.status).toBe(409);
    expect(none.body.error).toMatchObject({ code: 'carrier_not_configured', message: expect.stringMatching(/PUT \/api\/v1\/carriers/) });
    // The carrier refusing (or being unreachable) is a clear 502, not a hang or a 500.
    server.platform.carrierClients.register('twilio', { dial: async () => { throw new Error('connect ECONNREFUSED'); }, hangup: async () => {}, transfer: async () => {} });
    const refused = await admin.post('/api/v1/calls', { to: '+14155550400', carrier: 'twilio' });
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ code: 'carrier_error', message: expect.stringMatching(/twilio refused the call: connect ECONNREFUSED/) });
    const client = new FakeCarrierClient();
    server.platform.carrierClients.register('twilio', client);
    expect((await analyst.post('/api/v1/calls', { to: '+14155550400' })).status).toBe(403);
    expect((await agent.post('/api/v1/calls', { to: '+14155550400', from: '+19999999999', carrier: 'twilio' })).status).toBe(422);
    expect((await agent.post('/api/v1/calls', { to: 'not-a-number' })).status).toBe(400);
    const call = await agent.post('/api/v1/calls', { to: '+14155550400', carrier: 'twilio', metadata: { ticket: 'T-1' } });
    expect(call.status).toBe(201);
    expect(call.body).toMatchObject({ direction: 'outbound', from: DEMO_ECHO_NUMBER, state: 'ringing', metadata: { ticket: 'T-1' } });
    expect(client.dials).toHaveLength(1);
    const transfer = await agent.post(`/api/v1/calls/${call.body.id}/transfer`, { to: '+14155550401' });
    expect(transfer.status).toBe(409);
    expect(transfer.body.error.code).toBe('invalid_state');
  });

  it('transfers and hangs up live calls; another tenant gets 404 for all of it', async () => {
    const live = await liveCall(server.platform);
    for (const path of [`/api/v1/calls/${live.callId}`, `/api/v1/calls/${live.callId}/recording`]) expect((await other.get(path)).status).toBe(404);
    expect((await other.post(`/api/v1/calls/${live.callId}/hangup`, {})).status).toBe(404);
    expect((await other.post(`/api/v1/calls/${live.callId}/transfer`, { to: '+14155550500' })).status).toBe(404);
    expect((await other.get('/api/v1/calls')).body.items).toEqual([]);
    expect(live.leg.hungUp).toBeNull();

    const moved = await agent.post(`/api/v1/calls/${live.callId}/transfer`, { to: 'sip:desk@pbx.example.com' });
    expect(moved.body).toMatchObject({ state: 'completed', hangupCause: 'transferred' });
    expect(live.leg.transferredTo).toBe('sip:desk@pbx.example.com');
    expect((await agent.post(`/api/v1/calls/${live.callId}/transfer`, { to: '+14155550500' })).body.error.code).toBe('call_ended');

    const second = await liveCall(server.platform);
    expect((await analyst.post(`/api/v1/calls/${second.callId}/hangup`, {})).status).toBe(403);
    const ended = await agent.post(`/api/v1/calls/${second.callId}/hangup`, {});
    expect(ended.body).toMatchObject({ state: 'completed', hangupCause: 'ended-by-api', hangupSource: 'platform' });
    expect(second.leg.hungUp).toBe('ended-by-api');
    expect((await agent.post(`/api/v1/calls/${second.callId}/hangup`, {})).body.state).toBe('completed'); // idempotent
  });
});
