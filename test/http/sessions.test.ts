import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/infra/tokens.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { openSocket } from '../support/ws.js';

let server: TestServer;
let admin: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
});
afterAll(async () => { await server.close(); });

describe('session bootstrap API', () => {
  it('creates a session with socket URL, audio format, expiry and token', async () => {
    const res = await admin.post('/api/v1/sessions', {
      channel: 'browser-voice', flow: 'booking', persona: 'friendly', instructions: 'Be brief.', language: 'en-GB',
      temperature: 0.7, provider: 'local', metadata: { crm: 'A-1' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      channel: 'browser-voice', status: 'created', flow: 'booking', language: 'en-GB', temperature: 0.7, metadata: { crm: 'A-1' },
      audioFormat: { encoding: 'pcm16', sampleRate: 16000, channels: 1, frameMs: 20 },
    });
    expect(res.body.socketUrl).toBe(`${server.platform.publicUrl.replace('http', 'ws')}/api/v1/sessions/${res.body.id}/socket`);
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    const phone = await admin.post('/api/v1/sessions', { channel: 'phone' });
    expect(phone.body.audioFormat).toMatchObject({ encoding: 'mulaw', sampleRate: 8000 });
  });

  it('reads, lists with filters and pagination, and ends sessions', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await admin.post('/api/v1/sessions', { channel: 'chat', campaign: `spring-${i}` })).body.id);
    expect((await admin.get(`/api/v1/sessions/${ids[0]}`)).body.campaign).toBe('spring-0');
    const page1 = await admin.get('/api/v1/sessions?channel=chat&limit=2');
    expect(page1.body.items).toHaveLength(2);
    const page2 = await admin.get(`/api/v1/sessions?channel=chat&limit=2&cursor=${page1.body.nextCursor}`);
    expect([...page1.body.items, ...page2.body.items].map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(ids));
    expect((await admin.get('/api/v1/sessions?q=spring-1')).body.items.map((s: { id: string }) => s.id)).toEqual([ids[1]]);
    const ended = await admin.post(`/api/v1/sessions/${ids[0]}/end`, { reason: 'done' });
    expect(ended.body).toMatchObject({ status: 'ended', endReason: 'done' });
    expect((await admin.get('/api/v1/sessions?status=ended')).body.items.map((s: { id: string }) => s.id)).toContain(ids[0]);
  });

  it('answers 404 for unknown ids and 400 with field errors for bad input', async () => {
    const missing = await admin.get('/api/v1/sessions/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const notUuid = await admin.get('/api/v1/sessions/nope');
    expect(notUuid.status).toBe(400);
    const bad = await admin.post('/api/v1/sessions', { channel: 'fax', temperature: 'hot', phoneNumber: '555' });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.channel', 'body.temperature', 'body.phoneNumber']));
    const extra = await admin.post('/api/v1/sessions', { channel: 'chat', colour: 'blue' });
    expect(extra.status).toBe(400);
    expect((await admin.get('/api/v1/sessions?cursor=garbage')).status).toBe(400);
  });
});

describe('session socket', () => {
  it('joins with the signed token, marks the session active and ends it', async () => {
    const created = (await admin.post('/api/v1/sessions', { channel: 'chat' })).body;
    const ws = await openSocket(`${created.socketUrl}?token=${created.token}`);
    const inbox = ws.inbox;
    expect(await inbox.next((m) => m.type === 'ready')).toMatchObject({ sessionId: created.id, channel: 'chat' });
    expect((await admin.get(`/api/v1/sessions/${created.id}`)).body.status).toBe('active');
    expect((await server.platform.sessions.liveState(created.id))?.status).toBe('active');
    ws.send('not json');
    expect(await inbox.next((m) => m.type === 'error')).toMatchObject({ code: 'invalid_message' });
    ws.send(JSON.stringify({ type: 'ping', id: 'p1' }));
    expect(await inbox.next((m) => m.type === 'pong')).toEqual({ type: 'pong', id: 'p1' });
    await admin.post(`/api/v1/sessions/${created.id}/end`, {});
    expect(await inbox.next((m) => m.type === 'ended')).toMatchObject({ reason: 'ended-by-api' });
  });

  it('refuses forged, expired and foreign tokens before the upgrade', async () => {
    const created = (await admin.post('/api/v1/sessions', { channel: 'phone' })).body;
    const other = (await admin.post('/api/v1/sessions', { channel: 'phone' })).body;
    const forged = new TokenSigner('not-the-server-key-at-all').sign({ aud: 'session', sub: created.id, tenantId: 'x', exp: Date.now() + 60_000 });
    const expired = server.platform.signer.sign({ aud: 'session', sub: created.id, tenantId: 'x', exp: Date.now() - 1 });
    for (const token of [forged, expired, other.token, 'garbage']) {
      await expect(openSocket(`${created.socketUrl}?token=${encodeURIComponent(token)}`)).rejects.toMatchObject({ status: 403 });
    }
    await expect(openSocket(created.socketUrl)).rejects.toMatchObject({ status: 401 });
  });
});

describe('events socket', () => {
  it('pushes the tenant\'s live events to a signed-in console', async () => {
    const ws = await openSocket(`${server.url.replace('http', 'ws')}/api/v1/events`, { cookie: admin.cookie! });
    const inbox = ws.inbox;
    await inbox.next((m) => m.type === 'ready');
    const created = (await admin.post('/api/v1/sessions', { channel: 'chat' })).body;
    expect(await inbox.next((m) => m.type === 'event' && m.event.type === 'session.created')).toMatchObject({ event: { data: { sessionId: created.id } } });
    ws.close();
  });

  it('never forwards instance-to-instance control requests or replies to a browser', async () => {
    const ws = await openSocket(`${server.url.replace('http', 'ws')}/api/v1/events`, { cookie: admin.cookie! });
    await ws.inbox.next((m) => m.type === 'ready');
    const tenantId = ((await admin.get('/api/v1/auth/me')).body as { tenant: { id: string } }).tenant.id;
    const at = new Date().toISOString();
    for (const type of ['call.control', 'call.control_reply']) {
      await server.platform.bus.publish({ id: randomUUID(), type, tenantId, at, data: { callId: randomUUID(), requestId: 'r1' } });
    }
    const created = (await admin.post('/api/v1/sessions', { channel: 'chat' })).body;
    await ws.inbox.next((m) => m.type === 'event' && m.event.type === 'session.created' && m.event.data.sessionId === created.id);
    expect(ws.inbox.seen.filter((m) => m.type === 'event' && String(m.event.type).startsWith('call.control'))).toEqual([]);
    ws.close();
  });

  it('refuses anonymous sockets', async () => {
    await expect(openSocket(`${server.url.replace('http', 'ws')}/api/v1/events`)).rejects.toMatchObject({ status: 401 });
  });
});
