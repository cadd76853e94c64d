import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ensureWidgetBuilt } from '../../src/cli/widget-build.js';
import { callStartedData, type SessionServerMessage } from '../../src/contracts/events.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSocket } from '../support/ws.js';
import { openWidget } from './widget-socket.js';

const ORIGIN = 'https://clinic.example.com';

/**
 * The widget's voice side through the real server: a visitor chats, then calls as the same contact. The call's
 * flow picks the chat up at its step (with the chat as its prior conversation) and hands its state back, the
 * browser gets captions, and the contact's timeline holds the chat, the call with its transcript, and the chat after. Also what a customer's page needs: CORS and the audio worklets.
 */
describe('web widget voice', () => {
  let server: TestServer;
  let admin: TestClient;
  let key: string;

  beforeAll(async () => {
    await ensureWidgetBuilt();
    server = await startTestServer();
    admin = await signedInClient(server);
    const created = await admin.post('/api/v1/widget-keys', { name: 'clinic', allowedOrigins: [ORIGIN], flow: 'appointment-booking' });
    expect(created.status).toBe(201);
    key = created.body.key;
  });
  afterAll(async () => { await server.close(); });

  it('lets a customer\'s page start a call (CORS preflight) and load the shared audio worklets', async () => {
    const preflight = await fetch(`${server.url}/api/v1/widget/calls`, {
      method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const refused = await fetch(`${server.url}/api/v1/widget/calls`, {
      method: 'POST', headers: { origin: 'https://evil.example.com', 'content-type': 'application/json' }, body: JSON.stringify({ key, contact: 'x.y' }),
    });
    expect(refused.status).toBe(403);

    for (const file of ['mic-worklet.js', 'player-worklet.js']) {
      const res = await fetch(`${server.url}/widget/audio/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('javascript');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.text()).toContain('registerProcessor');
    }
    expect((await fetch(`${server.url}/widget/audio/widget.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/audio/..%2Fwidget.js`)).status).toBe(404);
  });

  it('a visitor who chats then calls: the call picks the chat up at its step, hands it back, and the timeline has both in order', async () => {
    const page = await openWidget(server.url, key, ORIGIN);
    await page.until((f) => f.some((x) => x.type === 'ready'));
    const ready = page.frames.find((f) => f.type === 'ready')!;
    if (ready.type !== 'ready') throw new Error('no ready');
    page.send({ type: 'message', clientId: 'v-1', text: 'I would like to book an appointment' });
    await page.until(() => page.messages().some((m) => m.text.includes('What day and time')));
    page.send({ type: 'message', clientId: 'v-2', text: 'tomorrow at ten' });
    await page.until(() => page.messages().some((m) => m.text.includes('Shall I book it?')));
    const chatTurns = page.messages().filter((m) => m.author !== 'system').length;
    await page.close();

    // The console's event socket: the call's `call.started` names the contact (the contact page adds the call live).
    const consoleEvents = await openSocket(`${server.url.replace('http', 'ws')}/api/v1/events`, { cookie: admin.cookie! });
    await consoleEvents.inbox.next((m) => m.type === 'ready');

    const res = await fetch(`${server.url}/api/v1/widget/calls`, {
      method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ key, contact: ready.contactToken }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const session = await res.json() as { socketUrl: string; token: string };

    const frames: SessionServerMessage[] = [];
    const ws = new WebSocket(`${session.socketUrl}?token=${encodeURIComponent(session.token)}`);
    const closed = new Promise<void>((done) => ws.once('close', () => done()));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const m = JSON.parse(String(data)) as SessionServerMessage;
      frames.push(m);
      if (m.type === 'mark') ws.send(JSON.stringify({ type: 'mark', name: m.name })); // "played" at once
    });
    const until = async (check: () => boolean, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out; frames: ${JSON.stringify(frames.slice(-5))}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const agentSaid = (text: string) => frames.some((f) => f.type === 'transcript' && f.speaker === 'agent' && f.final && f.text.includes(text));
    await until(() => frames.some((f) => f.type === 'call'));
    const call = frames.find((f) => f.type === 'call');
    if (call?.type !== 'call') throw new Error('no call');
    expect(call.agent).toBe('flow');
    const startedEvent = await consoleEvents.inbox.next((m) => m.type === 'event' && m.event.type === 'call.started' && m.event.data.callId === call.callId);
    expect(callStartedData.parse(startedEvent.event.data)).toMatchObject({ callId: call.callId, contactId: ready.contactId, carrier: 'browser' });
    consoleEvents.close();
    // Captions: the call goes on at the chat's question, with a word that it does; no greeting, no "how can I help".
    await until(() => agentSaid('Picking up from our chat.'));
    const first = frames.find((f) => f.type === 'transcript' && f.speaker === 'agent' && f.final);
    expect(first?.type === 'transcript' && first.text).toMatch(/^Picking up from our chat\. I have you down for .+ Shall I book it\?$/);
    expect(agentSaid('thanks for calling')).toBe(false);

    const detail = await admin.get(`/api/v1/calls/${call.callId}`);
    const started = (detail.body.timeline as { type: string; data: Record<string, unknown> }[]).find((e) => e.type === 'flow.started');
    expect(started?.data['priorTurns']).toBe(chatTurns);
    expect(started?.data['resumedAt']).toBe('confirm');

    // The visitor confirms on the call (key 1: yes); the flow books, says goodbye and ends the call.
    ws.send(JSON.stringify({ type: 'dtmf', digit: '1' }));
    await until(() => agentSaid('You are booked for'));
    await until(() => frames.some((f) => f.type === 'ended'));
    expect(frames.find((f) => f.type === 'ended')).toMatchObject({ reason: 'booked' });
    if (ws.readyState === WebSocket.OPEN) ws.close();
    await closed;

    type Entry = { kind: string; message?: { author: string; text: string }; call?: { id: string; endedAt: string | null; transcript: { speaker: string; text: string }[] } };
    const timeline = async () => {
      let entries: Entry[] = [];
      for (let i = 0; i < 40 && !entries.some((e) => e.call?.endedAt); i++) {
        const got = await admin.get(`/api/v1/contacts/${ready.contactId}/timeline`);
        expect(got.status).toBe(200);
        entries = got.body.entries as Entry[];
        if (!entries.some((e) => e.call?.endedAt)) await new Promise((r) => setTimeout(r, 250));
      }
      return entries;
    };
    const entries = await timeline();
    const kinds = entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'call')).toHaveLength(1);
    expect(kinds.indexOf('call')).toBeGreaterThan(kinds.lastIndexOf('message'));
    const entry = entries.find((e) => e.kind === 'call')!.call!;
    expect(entry.id).toBe(call.callId);
    expect(entry.endedAt).not.toBeNull();
    expect(entry.transcript.some((t) => t.speaker === 'agent' && t.text.startsWith('Picking up from our chat.'))).toBe(true);
    expect(entry.transcript.some((t) => t.speaker === 'agent' && t.text.includes('You are booked for'))).toBe(true);
    expect(entries.flatMap((e) => (e.message ? [e.message.text] : []))).toContain('I would like to book an appointment');

    // Back in the chat: the call's booking was handed back (the flow had ended), so the chat starts the flow over
    // rather than asking "Shall I book it?" again; the timeline reads chat, call, chat.
    const again = await openWidget(server.url, key, ORIGIN, { contact: ready.contactToken });
    await again.until((f) => f.some((x) => x.type === 'ready'));
    again.send({ type: 'message', clientId: 'v-3', text: 'Hello again' });
    await again.until(() => {
      const all = again.messages();
      const mine = all.find((m) => m.clientId === 'v-3');
      return Boolean(mine && all.some((m) => m.seq > mine.seq && m.author === 'agent'));
    });
    const after = again.messages().filter((m) => m.seq > again.messages().find((x) => x.clientId === 'v-3')!.seq);
    expect(after.map((m) => m.text).join(' ')).toContain('How can I help you today?');
    expect(after.map((m) => m.text).join(' ')).not.toContain('Shall I book');
    await again.close();
    const final = (await admin.get(`/api/v1/contacts/${ready.contactId}/timeline`)).body.entries as Entry[];
    const order = final.map((e) => e.kind);
    expect(order.indexOf('call')).toBeGreaterThan(0);
    expect(final.slice(order.indexOf('call') + 1).map((e) => e.message?.text)).toContain('Hello again');
  }, 40_000);
});
