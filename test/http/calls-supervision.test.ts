import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goertzelPower, meanSquare, mulawToPcm16, pcm16leToInt16, pcm16ToMulaw, int16ToPcm16le, sine } from '../../src/media/index.js';
import { liveCall } from '../support/calls.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSocket } from '../support/ws.js';
import { checkLocalAsr, createLocalSynthesizer } from '../../src/ai/local/index.js';
import { resample } from '../../src/media/index.js';

/** Agent scope of the board and events, takeover/hand-back by role, and the supervision audio paths (decoded at the far end). */
let server: TestServer;
let admin: TestClient;
let supervisor: TestClient;
let agentGeneral: TestClient;
let agentSales: TestClient;
let analyst: TestClient;
const SALES_NUMBER = '+15005550199';

beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
  const { accounts, repos } = server.platform;
  const demo = (await repos.tenants.bySlug('demo'))!;
  await accounts.createUser(demo.id, { email: 'sup@demo.test', name: 'Sue Pervisor', role: 'supervisor', password: 'supervisor-password' });
  await accounts.createUser(demo.id, { email: 'gen@demo.test', name: 'Gen Agent', role: 'agent', password: 'agent-password-1' });
  const sales = await accounts.createUser(demo.id, { email: 'sales@demo.test', name: 'Sal Agent', role: 'agent', password: 'agent-password-2' });
  await repos.users.setQueues(demo.id, sales.id, ['sales']);
  await accounts.createUser(demo.id, { email: 'ana@demo.test', name: 'Ana Lyst', role: 'analyst', password: 'analyst-password' });
  supervisor = await signedInClient(server, 'sup@demo.test', 'supervisor-password');
  agentGeneral = await signedInClient(server, 'gen@demo.test', 'agent-password-1');
  agentSales = await signedInClient(server, 'sales@demo.test', 'agent-password-2');
  analyst = await signedInClient(server, 'ana@demo.test', 'analyst-password');
  const created = await admin.post('/api/v1/numbers', { number: SALES_NUMBER, carrier: 'twilio', agentKind: 'echo', options: { queue: 'sales' } });
  expect(created.status).toBe(201);
});
afterAll(async () => { await server.close(); });

const wsUrl = (path: string) => `${server.url.replace('http', 'ws')}${path}`;
const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

/** A socket that also collects its binary frames as PCM16 samples. */
async function mediaSocket(client: TestClient, callId: string, mode: string) {
  const ws = await openSocket(wsUrl(`/api/v1/calls/${callId}/media?mode=${mode}`), { cookie: client.cookie! });
  const frames: Int16Array[] = [];
  ws.on('message', (data, isBinary) => { if (isBinary) frames.push(pcm16leToInt16(new Uint8Array(data as Buffer))); });
  await ws.inbox.next((m) => m.type === 'ready');
  const received = () => Int16Array.from(frames.flatMap((f) => Array.from(f)));
  return Object.assign(ws, { received, reset: () => { frames.length = 0; } });
}

/** Fraction of the signal's power at one frequency (≈ 1 for a pure tone of it). */
function toneShare(samples: Int16Array, hz: number, rate: number): number {
  const total = meanSquare(samples);
  return total === 0 ? 0 : goertzelPower(samples, hz, rate) / total;
}

/** The caller speaks a tone as 20 ms μ-law frames at 8 kHz (what a Twilio leg delivers). */
function callerTone(call: Awaited<ReturnType<typeof liveCall>>, hz: number, frames: number, startMs = 0): void {
  const pcm = sine(hz, 8000, frames * 160, 0.4);
  for (let i = 0; i < frames; i++) call.leg.say(pcm16ToMulaw(pcm.subarray(i * 160, (i + 1) * 160)), startMs + i * 20);
}

const until = async (check: () => boolean, timeoutMs = 3000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) { if (Date.now() > end) throw new Error('condition not met in time'); await new Promise((r) => setTimeout(r, 10)); }
};

describe('agent scope', () => {
  it('shows an agent their queue\'s calls only (board, detail, recording, actions); supervisors and analysts see all', async () => {
    const general = await liveCall(server.platform);
    const sales = await liveCall(server.platform, { to: SALES_NUMBER });
    expect((await admin.get(`/api/v1/calls/${sales.callId}`)).body).toMatchObject({ queue: 'sales', assigneeUserId: null, aiPaused: false });
    const genBoard = ids((await agentGeneral.get('/api/v1/calls?limit=100')).body);
    expect(genBoard).toContain(general.callId);
    expect(genBoard).not.toContain(sales.callId);
    const salesBoard = ids((await agentSales.get('/api/v1/calls?limit=100')).body);
    expect(salesBoard).toContain(sales.callId);
    expect(salesBoard).not.toContain(general.callId);
    for (const client of [supervisor, analyst, admin]) expect(ids((await client.get('/api/v1/calls?limit=100')).body)).toEqual(expect.arrayContaining([general.callId, sales.callId]));
    expect((await agentGeneral.get(`/api/v1/calls/${sales.callId}`)).status).toBe(404);
    expect((await agentGeneral.get(`/api/v1/calls/${sales.callId}/recording`)).status).toBe(404);
    expect((await agentGeneral.post(`/api/v1/calls/${sales.callId}/hangup`, {})).status).toBe(404);
    expect((await agentSales.get(`/api/v1/calls/${sales.callId}`)).status).toBe(200);
    await general.session.end('completed', 'test', 'platform');
    await sales.session.end('completed', 'test', 'platform');
  });

  it('sends an agent\'s events socket only the events of calls they may see', async () => {
    const agentWs = await openSocket(wsUrl('/api/v1/events'), { cookie: agentGeneral.cookie! });
    const adminWs = await openSocket(wsUrl('/api/v1/events'), { cookie: admin.cookie! });
    await agentWs.inbox.next((m) => m.type === 'ready');
    await adminWs.inbox.next((m) => m.type === 'ready');
    const sales = await liveCall(server.platform, { to: SALES_NUMBER });
    await adminWs.inbox.next((m) => m.type === 'event' && m.event.type === 'call.state' && m.event.data.callId === sales.callId);
    const general = await liveCall(server.platform);
    await agentWs.inbox.next((m) => m.type === 'event' && m.event.type === 'call.state' && m.event.data.callId === general.callId);
    await sales.session.end('completed', 'test', 'platform');
    await adminWs.inbox.next((m) => m.type === 'event' && m.event.type === 'call.ended' && m.event.data.callId === sales.callId);
    await general.session.end('completed', 'test', 'platform');
    await agentWs.inbox.next((m) => m.type === 'event' && m.event.type === 'call.ended' && m.event.data.callId === general.callId);
    const callIds = new Set(agentWs.inbox.seen.filter((m) => m.type === 'event').map((m) => m.event.data.callId));
    expect(callIds.has(general.callId)).toBe(true);
    expect(callIds.has(sales.callId)).toBe(false);
    agentWs.close();
    adminWs.close();
  });
});

describe('takeover and hand-back', () => {
  it('is refused to analysts, to agents of another queue, and listen/whisper to agents', async () => {
    const sales = await liveCall(server.platform, { to: SALES_NUMBER });
    expect((await analyst.post(`/api/v1/calls/${sales.callId}/takeover`, {})).status).toBe(403);
    expect((await agentGeneral.post(`/api/v1/calls/${sales.callId}/takeover`, {})).status).toBe(404);
    await expect(openSocket(wsUrl(`/api/v1/calls/${sales.callId}/media?mode=listen`), { cookie: agentSales.cookie! })).rejects.toMatchObject({ status: 403 });
    await expect(openSocket(wsUrl(`/api/v1/calls/${sales.callId}/media?mode=whisper`), { cookie: agentSales.cookie! })).rejects.toMatchObject({ status: 403 });
    await expect(openSocket(wsUrl(`/api/v1/calls/${sales.callId}/media?mode=takeover`), { cookie: agentSales.cookie! })).rejects.toMatchObject({ status: 409 });
    await expect(openSocket(wsUrl(`/api/v1/calls/${sales.callId}/media?mode=bogus`), { cookie: admin.cookie! })).rejects.toMatchObject({ status: 400 });
    await expect(openSocket(wsUrl(`/api/v1/calls/${sales.callId}/media?mode=listen`))).rejects.toMatchObject({ status: 401 });
    const taken = await agentSales.post(`/api/v1/calls/${sales.callId}/takeover`, {});
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ aiPaused: true, assigneeUserId: expect.any(String) });
    await sales.session.end('completed', 'test', 'platform');
    expect((await agentSales.post(`/api/v1/calls/${sales.callId}/resume-ai`, {})).status).toBe(409);
  });

  it('pauses the AI, carries audio both ways between caller and the human, lets a supervisor listen and whisper, and hands back', async () => {
    const call = await liveCall(server.platform);
    // The echo agent answers the caller while it has the call.
    callerTone(call, 440, 5);
    await until(() => call.leg.sent.length > 0);
    const taken = await supervisor.post(`/api/v1/calls/${call.callId}/takeover`, {});
    expect(taken.status).toBe(200);
    expect(taken.body.aiPaused).toBe(true);
    const human = await mediaSocket(supervisor, call.callId, 'takeover');
    const listener = await mediaSocket(admin, call.callId, 'listen');
    call.leg.sent.length = 0;

    // Caller → human and listener: a 440 Hz tone arrives as PCM16 16 kHz.
    callerTone(call, 440, 25, 1000);
    await until(() => human.received().length >= 16000 * 0.4 && listener.received().length >= 16000 * 0.4);
    expect(toneShare(human.received().subarray(800), 440, 16000)).toBeGreaterThan(0.8);
    expect(toneShare(listener.received().subarray(800), 440, 16000)).toBeGreaterThan(0.8);
    expect(call.leg.sent.length).toBe(0); // the paused AI (echo) said nothing

    // Human → caller: a 1000 Hz tone from the browser reaches the carrier leg as μ-law 8 kHz.
    const spoken = sine(1000, 16000, 16000 * 0.4, 0.4);
    for (let i = 0; i < spoken.length; i += 320) human.send(int16ToPcm16le(spoken.subarray(i, i + 320)));
    await until(() => call.leg.sentAudio().length >= 8000 * 0.3);
    const atCarrier = mulawToPcm16(call.leg.sentAudio());
    expect(toneShare(atCarrier.subarray(400), 1000, 8000)).toBeGreaterThan(0.8);

    // Whisper: a 700 Hz tone from the supervisor reaches the human's ears, never the carrier leg.
    const whisper = await mediaSocket(supervisor, call.callId, 'whisper');
    human.reset();
    call.leg.sent.length = 0;
    const whispered = sine(700, 16000, 16000 * 0.4, 0.4);
    for (let i = 0; i < whispered.length; i += 320) whisper.send(int16ToPcm16le(whispered.subarray(i, i + 320)));
    await new Promise((r) => setTimeout(r, 100));
    callerTone(call, 440, 25, 2000);
    await until(() => human.received().length >= 16000 * 0.4);
    expect(toneShare(human.received(), 700, 16000)).toBeGreaterThan(0.2);
    const leaked = mulawToPcm16(call.leg.sentAudio());
    expect(leaked.length === 0 || toneShare(leaked, 700, 8000) < 0.01).toBe(true);
    expect(goertzelPower(listener.received(), 700, 16000)).toBeLessThan(goertzelPower(human.received(), 700, 16000) / 100);

    // Hand back: the AI hears and answers the caller again.
    const back = await supervisor.post(`/api/v1/calls/${call.callId}/resume-ai`, {});
    expect(back.status).toBe(200);
    expect(back.body.aiPaused).toBe(false);
    call.leg.sent.length = 0;
    // A browser still connected after the hand-back is no longer heard by the caller.
    for (let i = 0; i < spoken.length; i += 320) human.send(int16ToPcm16le(spoken.subarray(i, i + 320)));
    await new Promise((r) => setTimeout(r, 100));
    expect(call.leg.sent.length).toBe(0);
    callerTone(call, 440, 5, 3000);
    await until(() => call.leg.sent.length > 0);

    for (const ws of [human, listener, whisper]) ws.close();
    await call.session.end('completed', 'test', 'platform');
    await server.platform.calls.records.settled(call.callId);
    const detail = (await supervisor.get(`/api/v1/calls/${call.callId}`)).body;
    const marks = detail.timeline.filter((e: { type: string }) => e.type === 'takeover' || e.type === 'handback');
    expect(marks).toEqual([
      expect.objectContaining({ type: 'takeover', data: expect.objectContaining({ by: 'Sue Pervisor' }) }),
      expect.objectContaining({ type: 'handback', data: expect.objectContaining({ by: 'Sue Pervisor' }) }),
    ]);
  });
});

describe('a call whose media is on another instance', () => {
  it('answers 409 call_not_live naming the instance holding the media; a hand-back goes there over the bus', async () => {
    const { calls, repos, bus } = server.platform;
    const admitted = await calls.admitCall({ carrier: 'twilio', carrierCallId: `CA${Math.random().toString(16).slice(2)}`, from: '+14155550100', to: '+15005550006' });
    if (!admitted.ok) throw new Error(admitted.reason);
    const id = admitted.call.id;
    const fresh = await supervisor.post(`/api/v1/calls/${id}/takeover`, {});
    expect(fresh.status).toBe(409);
    expect(fresh.body.error).toMatchObject({ code: 'call_not_live', details: { instanceId: null, thisInstance: server.platform.instanceId } });

    await repos.calls.setMediaInstance(id, 'instance-b');
    const taken = await supervisor.post(`/api/v1/calls/${id}/takeover`, {});
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'call_not_live', message: expect.stringContaining('instance-b'), details: { instanceId: 'instance-b' }, requestId: expect.any(String) });
    await expect(openSocket(wsUrl(`/api/v1/calls/${id}/media?mode=listen`), { cookie: supervisor.cookie! })).rejects.toMatchObject({ status: 409 });

    const controls: Record<string, unknown>[] = [];
    const stop = bus.subscribe(admitted.tenantId, (e) => { if (e.type === 'call.control') controls.push(e.data); });
    expect((await supervisor.post(`/api/v1/calls/${id}/resume-ai`, {})).body.error.code).toBe('ai_not_paused');
    await repos.calls.setAiPaused(id, true);
    const back = await supervisor.post(`/api/v1/calls/${id}/resume-ai`, {});
    expect(back.status).toBe(200);
    expect(back.body.aiPaused).toBe(false);
    await until(() => controls.length > 0);
    expect(controls[0]).toMatchObject({ callId: id, action: 'resume-ai' });
    stop();
    calls.records.state({ id, tenantId: admitted.tenantId }, { from: 'ringing', to: 'completed', at: new Date(), cause: 'test' });
    await calls.records.settled(id);
  });
});

describe('agent queues', () => {
  it('lets an admin replace an agent\'s queues (validated); the agent\'s board and events socket follow at once', async () => {
    const me = (await agentGeneral.get('/api/v1/auth/me')).body.user;
    expect(me.queues).toEqual(['general']);
    const sales = await liveCall(server.platform, { to: SALES_NUMBER });
    expect(ids((await agentGeneral.get('/api/v1/calls?limit=100')).body)).not.toContain(sales.callId);
    const events = await openSocket(wsUrl('/api/v1/events'), { cookie: agentGeneral.cookie! });
    await events.inbox.next((m) => m.type === 'ready');

    expect((await supervisor.put(`/api/v1/users/${me.id}/queues`, { queues: ['sales'] })).status).toBe(403);
    expect((await admin.put(`/api/v1/users/${me.id}/queues`, { queues: ['bad queue!'] })).status).toBe(400);
    expect((await admin.put(`/api/v1/users/${me.id}/queues`, { queues: ['sales', 'SALES'] })).status).toBe(400);
    expect((await admin.put(`/api/v1/users/${me.id}/queues`, { queues: ['sales'], role: 'admin' })).status).toBe(400);
    expect((await admin.put('/api/v1/users/00000000-0000-4000-8000-000000000000/queues', { queues: ['sales'] })).status).toBe(404);
    const changed = await admin.put(`/api/v1/users/${me.id}/queues`, { queues: ['general', 'sales'] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: me.id, queues: ['general', 'sales'] });
    expect((await admin.get(`/api/v1/users/${me.id}`)).body.queues).toEqual(['general', 'sales']);

    expect(ids((await agentGeneral.get('/api/v1/calls?limit=100')).body)).toContain(sales.callId);
    await events.inbox.next((m) => m.type === 'event' && m.event.type === 'user.queues_changed');
    await sales.session.end('completed', 'test', 'platform');
    await events.inbox.next((m) => m.type === 'event' && m.event.type === 'call.ended' && m.event.data.callId === sales.callId);
    events.close();
    expect((await admin.put(`/api/v1/users/${me.id}/queues`, { queues: ['general'] })).status).toBe(200);
  });
});

const asr = await checkLocalAsr();
describe.skipIf(!asr.available)('the transcript of a taken-over call', () => {
  it('transcribes the person (live partials, then a final "human" segment) and keeps transcribing the caller', async () => {
    const tts = createLocalSynthesizer();
    const say = async (text: string, rate: number) => {
      const s = await tts.synthesize(text, { voice: 'slt' });
      return Int16Array.from([...resample(s.samples, s.sampleRate, rate), ...new Int16Array(rate)]);
    };
    const [humanSpeech, callerSpeech] = [await say('I can book you an appointment for tomorrow morning.', 16000), await say('I would like to change my appointment please.', 8000)];
    await tts.close();
    const call = await liveCall(server.platform);
    const events = await openSocket(wsUrl('/api/v1/events'), { cookie: supervisor.cookie! });
    await events.inbox.next((m) => m.type === 'ready');
    expect((await supervisor.post(`/api/v1/calls/${call.callId}/takeover`, {})).status).toBe(200);
    const human = await mediaSocket(supervisor, call.callId, 'takeover');
    // No wait for the decoders to load in their worker: what is said meanwhile is held for them.

    for (let i = 0; i + 320 <= humanSpeech.length; i += 320) {
      human.send(int16ToPcm16le(humanSpeech.subarray(i, i + 320)));
      await new Promise((r) => setTimeout(r, 20)); // real time: partials come every ~600 ms of talk, as in a real takeover
    }
    for (let i = 0; i + 160 <= callerSpeech.length; i += 160) {
      call.leg.say(pcm16ToMulaw(callerSpeech.subarray(i, i + 160)), 5000 + i / 8);
      if ((i / 160) % 4 === 3) await new Promise((r) => setTimeout(r, 20));
    }
    const isTurn = (speaker: string, final: boolean) => (m: any) => m.type === 'event' && m.event.type === 'call.transcript'
      && m.event.data.callId === call.callId && m.event.data.speaker === speaker && m.event.data.final === final;
    const humanFinal = await events.inbox.next(isTurn('human', true), 20_000);
    const callerFinal = await events.inbox.next(isTurn('caller', true), 20_000);
    expect(events.inbox.seen.some(isTurn('human', false))).toBe(true);
    expect(humanFinal.event.data.text).toMatch(/appointment|tomorrow|morning|book/);
    expect(callerFinal.event.data.text).toMatch(/appointment|change|please/);

    human.close();
    events.close();
    await call.session.end('completed', 'test', 'platform');
    await server.platform.calls.records.settled(call.callId);
    const detail = (await supervisor.get(`/api/v1/calls/${call.callId}`)).body;
    expect(detail.transcript.map((s: { speaker: string }) => s.speaker)).toEqual(expect.arrayContaining(['human', 'caller']));
    expect(detail.transcript.find((s: { speaker: string }) => s.speaker === 'human').text).toBe(humanFinal.event.data.text);
  }, 60_000);
});
