import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { deinterleave, int16ToPcm16le, pcm16leToInt16, readWav, whiteNoise } from '../../src/media/index.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSocket } from '../support/ws.js';

/** A browser-voice session socket carries a call: binary PCM16 16 kHz frames in, the agent's audio out. */
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
});
afterAll(async () => { await server.close(); });

/** Collects binary frames a socket receives. */
function binaryFrames(ws: WebSocket): Buffer[] {
  const frames: Buffer[] = [];
  ws.on('message', (data, isBinary) => { if (isBinary) frames.push(data as Buffer); });
  return frames;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('browser-voice session socket', () => {
  it('starts a call answered by echo: frames in come back out, byte for byte, and the call is recorded', async () => {
    const created = (await admin.post('/api/v1/sessions', { channel: 'browser-voice' })).body;
    const ws = await openSocket(`${created.socketUrl}?token=${created.token}`);
    const frames = binaryFrames(ws);
    expect(await ws.inbox.next((m) => m.type === 'ready')).toMatchObject({ audioFormat: { encoding: 'pcm16', sampleRate: 16000, frameMs: 20 } });
    const { callId, agent } = await ws.inbox.next((m) => m.type === 'call');
    expect(agent).toBe('echo');

    const caller = int16ToPcm16le(whiteNoise(16000 * 0.5, 0.2, 7)); // 500 ms = 25 frames of 640 bytes
    for (let at = 0; at < caller.length; at += 640) {
      ws.send(caller.subarray(at, at + 640));
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(() => frames.reduce((n, f) => n + f.length, 0) >= caller.length);
    expect(frames.every((f) => f.length === 640)).toBe(true);
    expect(Buffer.compare(Buffer.concat(frames), Buffer.from(caller))).toBe(0);

    // Control messages: a key press lands on the timeline; odd frames are dropped and counted, not fatal.
    ws.send(JSON.stringify({ type: 'dtmf', digit: '7' }));
    ws.send(JSON.stringify({ type: 'played', ms: 500 }));
    ws.send(new Uint8Array(641));
    ws.send(JSON.stringify({ type: 'ping', id: 'still-alive' }));
    await ws.inbox.next((m) => m.type === 'pong');

    const live = await admin.get(`/api/v1/calls/${callId}`);
    expect(live.body).toMatchObject({ carrier: 'browser', carrierCallId: created.id, state: 'in-progress', agentKind: 'echo' });

    ws.send(JSON.stringify({ type: 'end' }));
    await ws.inbox.next((m) => m.type === 'ended');
    await until(() => server.platform.calls.liveCount === 0);
    await server.platform.calls.records.settled(callId);
    const done = (await admin.get(`/api/v1/calls/${callId}`)).body;
    expect(done).toMatchObject({ state: 'completed', hangupCause: 'ended-by-client', hangupSource: 'caller' });
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['dtmf', 'recording.saved']));
    expect(done.timeline.find((e: { type: string }) => e.type === 'dtmf').data.digit).toBe('7');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_rejected_input_total\{source="browser-voice",reason="bad-frame"\} 1/);

    const recording = await fetch(`${server.url}${done.recordingUrl}`, { headers: { cookie: admin.cookie! } });
    expect(recording.status).toBe(200);
    expect(recording.headers.get('content-type')).toBe('audio/wav');
    const wav = readWav(new Uint8Array(await recording.arrayBuffer()));
    expect(wav).toMatchObject({ sampleRate: 16000, channels: 2 });
    const [left, right] = deinterleave(wav.samples, 2) as [Int16Array, Int16Array];
    const sent = pcm16leToInt16(caller);
    // The caller's audio is on the left; the echo on the right carries the same energy.
    const energy = (x: Int16Array) => x.reduce((sum, v) => sum + v * v, 0);
    expect(energy(left)).toBeGreaterThan(energy(sent) * 0.9);
    expect(energy(right)).toBeGreaterThan(energy(sent) * 0.5);
  });

  it('ends the call when the socket just closes, and ends the socket when the API ends the session', async () => {
    const first = (await admin.post('/api/v1/sessions', { channel: 'browser-voice', flow: 'no-such-agent' })).body;
    const ws = await openSocket(`${first.socketUrl}?token=${first.token}`);
    const { callId, agent } = await ws.inbox.next((m) => m.type === 'call');
    expect(agent).toBe('echo');
    ws.close();
    await until(() => server.platform.calls.session(callId) === undefined);
    await server.platform.calls.records.settled(callId);
    expect((await admin.get(`/api/v1/calls/${callId}`)).body).toMatchObject({ state: 'completed', hangupCause: 'socket-closed', metadata: { requestedAgent: 'no-such-agent' } });

    const second = (await admin.post('/api/v1/sessions', { channel: 'browser-voice' })).body;
    const ws2 = await openSocket(`${second.socketUrl}?token=${second.token}`);
    const call2 = (await ws2.inbox.next((m) => m.type === 'call')).callId;
    await admin.post(`/api/v1/sessions/${second.id}/end`, { reason: 'supervisor' });
    await ws2.inbox.next((m) => m.type === 'ended');
    await until(() => server.platform.calls.session(call2) === undefined);
    await server.platform.calls.records.settled(call2);
    expect((await admin.get(`/api/v1/calls/${call2}`)).body).toMatchObject({ state: 'completed', hangupSource: 'platform' });
  });

  it('runs the tenant\'s published flow when the session names one: the agent greets by voice and its turn is transcribed', async () => {
    const created = (await admin.post('/api/v1/sessions', { channel: 'browser-voice', flow: 'appointment-booking' })).body;
    const ws = await openSocket(`${created.socketUrl}?token=${created.token}`);
    const frames = binaryFrames(ws);
    const { callId, agent } = await ws.inbox.next((m) => m.type === 'call');
    expect(agent).toBe('flow');
    // Keep the caller's side flowing (silence) while the agent speaks its greeting.
    const silence = new Uint8Array(640);
    const feeder = setInterval(() => ws.send(silence), 20);
    try {
      await until(() => frames.some((f) => pcm16leToInt16(f).some((v) => Math.abs(v) > 1000)), 15_000);
      // The agent's line is stored once its sentence has been queued whole.
      const deadline = Date.now() + 15_000;
      while (!(await admin.get(`/api/v1/calls/${callId}`)).body.transcript.some((t: { speaker: string }) => t.speaker === 'agent')) {
        if (Date.now() > deadline) throw new Error('no agent transcript in time');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      clearInterval(feeder);
    }
    ws.send(JSON.stringify({ type: 'end' }));
    await ws.inbox.next((m) => m.type === 'ended');
    await until(() => server.platform.calls.session(callId) === undefined);
    await server.platform.calls.records.settled(callId);
    const done = (await admin.get(`/api/v1/calls/${callId}`)).body;
    expect(done).toMatchObject({ agentKind: 'flow', metadata: { flow: 'appointment-booking' } });
    expect(done.transcript.some((t: { speaker: string }) => t.speaker === 'agent')).toBe(true);
  }, 30_000);

  it('hangs up from the API: the browser is told the session ended', async () => {
    const created = (await admin.post('/api/v1/sessions', { channel: 'browser-voice' })).body;
    const ws = await openSocket(`${created.socketUrl}?token=${created.token}`);
    const { callId } = await ws.inbox.next((m) => m.type === 'call');
    const res = await admin.post(`/api/v1/calls/${callId}/hangup`, { reason: 'supervisor-hangup' });
    expect(res.body).toMatchObject({ state: 'completed', hangupCause: 'supervisor-hangup', hangupSource: 'platform' });
    expect(await ws.inbox.next((m) => m.type === 'ended')).toMatchObject({ reason: 'supervisor-hangup' });
    expect((await admin.get(`/api/v1/sessions/${created.id}`)).body.status).toBe('ended');
  });

  it('carries no audio on chat sessions', async () => {
    const created = (await admin.post('/api/v1/sessions', { channel: 'chat' })).body;
    const ws = await openSocket(`${created.socketUrl}?token=${created.token}`);
    await ws.inbox.next((m) => m.type === 'ready');
    ws.send(new Uint8Array(640));
    ws.send(JSON.stringify({ type: 'ping' }));
    await ws.inbox.next((m) => m.type === 'pong');
    expect(ws.inbox.seen.some((m) => m.type === 'call')).toBe(false);
    ws.close();
  });
});
