import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openWidget } from './widget-socket.js';

const ORIGIN = 'https://shop.example.com';

/** The web widget's keys and chat socket: key and origin checks, the flow answering, resume, dedupe, isolation. */
describe('web widget', () => {
  let server: TestServer;
  let admin: TestClient;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signedInClient(server);
    const created = await admin.post('/api/v1/widget-keys', { name: 'shop', allowedOrigins: [ORIGIN], flow: 'appointment-booking' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^wk_/);
    key = created.body.key;
    keyId = created.body.id;
  });
  afterAll(async () => { await server.close(); });

  it('refuses unknown keys, other origins, and flows that are not published', async () => {
    await expect(openWidget(server.url, 'wk_nope', ORIGIN)).rejects.toThrow('status 403');
    await expect(openWidget(server.url, key, 'https://evil.example.com')).rejects.toThrow('status 403');
    const bad = await admin.post('/api/v1/widget-keys', { name: 'x', allowedOrigins: [ORIGIN], flow: 'no-such-flow' });
    expect(bad.status).toBe(400);
    const path = await admin.post('/api/v1/widget-keys', { name: 'x', allowedOrigins: ['https://a.example.com/path'], flow: 'appointment-booking' });
    expect(path.status).toBe(400);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_rejected_input_total\{source="widget-socket",reason="origin"\} 1/);
  });

  it('greets, answers through the flow, resumes after a reconnect and dedupes a resent message', async () => {
    const page = await openWidget(server.url, key, ORIGIN);
    await page.until((f) => f.some((x) => x.type === 'ready'));
    const ready = page.frames.find((f) => f.type === 'ready')!;
    if (ready.type !== 'ready') throw new Error('no ready');
    await page.until(() => page.messages().some((m) => m.text.includes('How can I help')));
    page.send({ type: 'message', clientId: 'c-1', text: 'I would like to book an appointment' });
    await page.until((f) => f.some((x) => x.type === 'ack' && x.clientId === 'c-1'));
    await page.until(() => page.messages().some((m) => m.author === 'agent' && m.text.includes('What day and time')));
    const lastSeq = page.messages().at(-1)!.seq;
    await page.close();

    // Reconnect with the signed contact: the same contact, nothing resent before `after`, and the resent message once.
    const again = await openWidget(server.url, key, ORIGIN, { contact: ready.contactToken, after: String(lastSeq) });
    await again.until((f) => f.some((x) => x.type === 'ready'));
    const ready2 = again.frames.find((f) => f.type === 'ready')!;
    expect(ready2.type === 'ready' && ready2.contactId).toBe(ready.contactId);
    again.send({ type: 'message', clientId: 'c-1', text: 'I would like to book an appointment' });
    again.send({ type: 'message', clientId: 'c-2', text: 'tomorrow at ten' });
    await again.until((f) => f.some((x) => x.type === 'ack' && x.clientId === 'c-2'));
    await again.until(() => again.messages().some((m) => m.text.includes('Shall I book it')));
    expect(again.messages().every((m) => m.seq > lastSeq)).toBe(true);
    expect(again.messages().filter((m) => m.clientId === 'c-1')).toHaveLength(0);
    await again.close();

    const timeline = await admin.get(`/api/v1/contacts/${ready.contactId}/timeline`);
    expect(timeline.status).toBe(200);
    const visitor = timeline.body.entries.filter((e: { kind: string; message?: { author: string } }) => e.kind === 'message' && e.message?.author === 'visitor');
    expect(visitor.map((e: { message: { text: string } }) => e.message.text)).toEqual(['I would like to book an appointment', 'tomorrow at ten']);
    const seqs = timeline.body.entries.map((e: { message: { seq: number } }) => e.message.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('a forged contact token gets a new contact; malformed frames are counted, not fatal', async () => {
    const page = await openWidget(server.url, key, ORIGIN, { contact: 'eyJmb3JnZWQiOjF9.AAAA' });
    await page.until((f) => f.some((x) => x.type === 'ready'));
    page.send({ type: 'shout' });
    page.ws.send('not json');
    await page.until((f) => f.filter((x) => x.type === 'error').length === 2);
    page.send({ type: 'ping' });
    await page.until((f) => f.some((x) => x.type === 'pong'));
    await page.close();
  });

  it('starts a browser-voice call for the contact: the call joins the contact\'s timeline', async () => {
    const page = await openWidget(server.url, key, ORIGIN);
    await page.until((f) => f.some((x) => x.type === 'ready'));
    const ready = page.frames.find((f) => f.type === 'ready')!;
    await page.close();
    if (ready.type !== 'ready') throw new Error('no ready');
    expect(ready.voice).toBe(true);
    const start = (origin: string, contact = ready.contactToken) => fetch(`${server.url}/api/v1/widget/calls`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ key, contact }),
    });
    expect((await start('https://evil.example.com')).status).toBe(403);
    expect((await start(ORIGIN, 'forged.token')).status).toBe(403);
    const res = await start(ORIGIN);
    expect(res.status).toBe(201);
    const session = await res.json() as { socketUrl: string; token: string; metadata: Record<string, unknown> };
    expect(session.metadata['contactId']).toBe(ready.contactId);

    const ws = new WebSocket(`${session.socketUrl}?token=${encodeURIComponent(session.token)}`);
    const callId = await new Promise<string>((resolve, reject) => {
      ws.on('message', (data, isBinary) => { if (!isBinary) { const m = JSON.parse(String(data)) as { type: string; callId?: string }; if (m.type === 'call') resolve(m.callId!); } });
      ws.once('error', reject);
    });
    ws.close();
    const timeline = await admin.get(`/api/v1/contacts/${ready.contactId}/timeline`);
    expect(timeline.body.entries.filter((e: { kind: string }) => e.kind === 'call').map((e: { call: { id: string } }) => e.call.id)).toEqual([callId]);

    expect((await admin.put('/api/v1/flags/browser-voice', { value: 'off' })).status).toBe(200);
    expect((await start(ORIGIN)).status).toBe(403);
    expect((await admin.delete('/api/v1/flags/browser-voice')).status).toBe(200);
  });

  it('is isolated between tenants and refused when web-chat is off or the key is revoked', async () => {
    const other = await server.platform.repos.tenants.create({ name: 'Other', slug: 'other-widget' });
    const page = await openWidget(server.url, key, ORIGIN);
    await page.until((f) => f.some((x) => x.type === 'ready'));
    const ready = page.frames.find((f) => f.type === 'ready')!;
    await page.close();
    if (ready.type !== 'ready') throw new Error('no ready');
    // Another tenant's staff cannot read the contact.
    expect(await server.platform.widget.conversations.timeline(other.id, ready.contactId)).toBeNull();

    expect((await admin.put('/api/v1/flags/web-chat', { value: 'off' })).status).toBe(200);
    await expect(openWidget(server.url, key, ORIGIN)).rejects.toThrow('status 403');
    expect((await admin.delete('/api/v1/flags/web-chat')).status).toBe(200);

    expect((await admin.delete(`/api/v1/widget-keys/${keyId}`)).body.revokedAt).not.toBeNull();
    await expect(openWidget(server.url, key, ORIGIN)).rejects.toThrow('status 403');
  });
});
