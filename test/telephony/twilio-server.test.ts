import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readDemoSimulatorCredentials } from '../../src/call/simulator-credentials.js';
import type { SimulatorCredentials } from '../../src/contracts/telephony.js';
import { readWav } from '../../src/media/index.js';
import { TwilioCallSimulator, TwilioCarrierClient, computeTwilioSignature, mediaStreamUrl, runInboundCall } from '../../src/telephony/twilio/index.js';
import { FakeTwilioRestApi, officialSign } from '../fakes/twilio/index.js';
import { signedInClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { toneShare, tone } from './twilio/helpers.js';

const ECHO = '+15005550006';
const CALLER = '+15551230000';
let server: TestServer;
let creds: SimulatorCredentials;

beforeAll(async () => {
  server = await startTestServer();
  creds = (await readDemoSimulatorCredentials(server.platform.repos, 'twilio'))!;
}, 60_000);
afterAll(async () => { await server?.close(); });

const sim = (extra: Partial<ConstructorParameters<typeof TwilioCallSimulator>[0]> = {}) => ({
  baseUrl: server.url, authToken: creds.authToken!, accountSid: creds.accountId!, from: CALLER, to: ECHO, sign: officialSign, ...extra,
});

async function until(test: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function callRow(callSid: string) {
  return server.platform.repos.calls.byCarrierId('twilio', callSid);
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('Twilio through the real server', () => {
  it('runs a whole call: webhook → TwiML stream → echo of a 440 Hz tone → hang-up → completed, dual-channel recording', async () => {
    const signal = tone(440, 1000);
    const result = await runInboundCall({ ...sim(), audio: signal, tailMs: 800 });
    expect(result.answer.kind).toBe('stream');
    expect(result.endedBy).toBe('caller');
    const stream = result.stream!;
    expect(stream.violations).toEqual([]);
    const heard = stream.playout.received.bytes();
    expect(heard.length).toBeGreaterThan(6000);
    const body = heard.subarray(800, 6400); // skip the leading silence before the tone came back
    expect(toneShare(body, 440)).toBeGreaterThan(0.9);

    await until(async () => (await callRow(result.callSid))?.state === 'completed', 5000);
    const row = (await callRow(result.callSid))!;
    expect(row.recordingPath).toBeTruthy();
    await new Promise((r) => setTimeout(r, 300));
    const wav = readWav(readFileSync(server.platform.recordings.resolve(row.recordingPath!)!));
    expect(wav.channels).toBe(2);
    expect(wav.samples.length / 2 / wav.sampleRate).toBeGreaterThan(1);
  }, 20_000);

  it('refuses an unsigned or wrongly signed webhook with 403 and counts it', async () => {
    const before = await metric('switchboard_rejected_input_total', 'reason="bad-signature"');
    const bad = new TwilioCallSimulator(sim({ sign: () => 'bm90IGEgc2lnbmF0dXJl' }));
    expect((await bad.dialIn()).status).toBe(403);
    const none = await fetch(`${server.url}/telephony/twilio/voice`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'To=%2B15005550006' });
    expect(none.status).toBe(403);
    expect(await metric('switchboard_rejected_input_total', 'reason="bad-signature"')).toBe(before + 1);
    expect(await metric('switchboard_rejected_input_total', 'reason="missing-signature"')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a media upgrade without a valid signature', async () => {
    const call = new TwilioCallSimulator(sim());
    const { answer } = await call.dialIn();
    if (answer.kind !== 'stream') throw new Error('no stream');
    const url = new URL(answer.streamUrl);
    const connect = `${server.url.replace('http', 'ws')}${url.pathname}`;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(connect, { headers: { 'X-Twilio-Signature': computeTwilioSignature('wrong-token-wrong-token', answer.streamUrl, {}) } });
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => { ws.close(); resolve(101); });
    });
    expect(status).toBe(403);
    await call.sendStatus('completed');
  });

  it('answers <Reject> for an unknown number, never a 500', async () => {
    const call = new TwilioCallSimulator(sim({ to: '+15550009999' }));
    const res = await call.dialIn();
    expect(res.status).toBe(200);
    expect(res.answer.kind).toBe('reject');
    expect(res.body).toContain('<Reject');
  });

  it('makes one call of the same webhook delivered twice', async () => {
    const call = new TwilioCallSimulator(sim());
    const a = await call.dialIn();
    const b = await call.dialIn();
    expect([a.answer.kind, b.answer.kind]).toEqual(['stream', 'stream']);
    const { items } = (await server.platform.calls.list((await callRow(call.callSid))!.tenantId, { limit: 100 })) as { items: { carrierCallId: string | null }[] };
    expect(items.filter((c) => c.carrierCallId === call.callSid)).toHaveLength(1);
    await call.sendStatus('completed');
    expect((await callRow(call.callSid))?.state).toBe('completed');
  });

  it('drops malformed media frames, counts them, and the call goes on', async () => {
    const call = new TwilioCallSimulator(sim());
    const { answer } = await call.dialIn();
    if (answer.kind !== 'stream') throw new Error('no stream');
    const stream = await call.connectMedia(answer);
    const before = await metric('switchboard_rejected_input_total', 'reason="malformed-json"');
    stream.sendRaw('{not json');
    stream.sendRaw(JSON.stringify({ event: 'media', streamSid: stream.streamSid, media: { payload: '!!!not base64' } }));
    stream.sendRaw(JSON.stringify({ event: 'nonsense' }));
    stream.play(tone(440, 600));
    await stream.until(() => stream.playout.received.length >= 4000, 5000);
    expect(await metric('switchboard_rejected_input_total', 'reason="malformed-json"')).toBe(before + 1);
    expect((await callRow(call.callSid))?.state).toBe('in-progress');
    await stream.hangup();
    await call.sendStatus('completed');
    await until(async () => (await callRow(call.callSid))?.state === 'completed', 5000);
  });

  it('places an outbound call through the Twilio REST API (fake) and runs it when Twilio fetches the TwiML', async () => {
    const fake = await new FakeTwilioRestApi(creds.accountId!, creds.authToken!).start();
    server.platform.carrierClients.register('twilio', new TwilioCarrierClient({ publicUrl: server.platform.publicUrl, apiBaseUrl: fake.baseUrl }));
    try {
      const admin = await signedInClient(server);
      const created = await admin.post('/api/v1/calls', { to: '+15557770000', carrier: 'twilio', agent: 'echo' });
      expect(created.status).toBe(201);
      const placed = [...fake.calls.values()][0]!;
      expect(created.body.carrierCallId).toBe(placed.sid);
      const voiceUrl = new URL(placed.url!);
      expect(voiceUrl.searchParams.get('callId')).toBe(created.body.id);

      const call = new TwilioCallSimulator(sim({
        callSid: placed.sid, from: placed.from, to: placed.to, voicePath: voiceUrl.pathname + voiceUrl.search,
        statusPath: `/telephony/twilio/status${voiceUrl.search}`,
      }));
      const { answer } = await call.dialIn({ Direction: 'outbound-api', CallStatus: 'in-progress' });
      expect(answer.kind).toBe('stream');
      if (answer.kind !== 'stream') return;
      expect(answer.streamUrl).toBe(mediaStreamUrl(server.platform.publicUrl, created.body.id));
      const stream = await call.connectMedia(answer);
      stream.play(tone(440, 600));
      await stream.until(() => stream.playout.received.length >= 4000, 5000);
      const hangup = await admin.post(`/api/v1/calls/${created.body.id}/hangup`, { reason: 'test-done' });
      expect(hangup.status).toBe(200);
      expect(hangup.body.state).toBe('completed');
      await until(() => fake.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${placed.sid}.json`)), 3000);
    } finally {
      server.platform.carrierClients.register('twilio', new TwilioCarrierClient({ publicUrl: server.platform.publicUrl }));
      await fake.stop();
    }
  }, 20_000);
});
