import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readDemoSimulatorCredentials } from '../../src/call/simulator-credentials.js';
import { goertzelPower, meanSquare, mulawToPcm16, pcm16ToMulaw, readWav, sine } from '../../src/media/index.js';
import type { SimulatorCommand } from '../../src/http/routes/telephony-telnyx.js';
import { TelnyxCarrierClient } from '../../src/telephony/telnyx/carrier-client.js';
import {
  TelnyxCallerStream, TelnyxWebhookSender, simulatedCall, telnyxEvent, telnyxPrivateKeyFromBase64,
} from '../../src/telephony/telnyx/simulator.js';
import { TelnyxFake } from '../fakes/telnyx/index.js';
import { signedInClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ECHO = '+15005550007';
const CALLER = '+15551230000';
let server: TestServer;
let webhookUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  webhookUrl = `${server.url}/telephony/telnyx/webhook`;
}, 60_000);
afterAll(async () => { await server?.close(); });

async function until(test: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const callRow = (callControlId: string) => server.platform.repos.calls.byCarrierId('telnyx', callControlId);
const toneShare = (mulaw: Uint8Array) => { const pcm = mulawToPcm16(mulaw); return goertzelPower(pcm, 440, 8000) / meanSquare(pcm); };
const tone = (ms: number) => pcm16ToMulaw(sine(440, 8000, ms * 8, 0.5));
async function metric(labels: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('switchboard_rejected_input_total') && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}
async function recordingChannels(callControlId: string): Promise<number> {
  await until(async () => (await callRow(callControlId))?.state === 'completed', 5000);
  const row = (await callRow(callControlId))!;
  await new Promise((r) => setTimeout(r, 300));
  return readWav(readFileSync(server.platform.recordings.resolve(row.recordingPath!)!)).channels;
}

describe('Telnyx through the real server', () => {
  it('demo account: signed webhook → answer command in the reply → media echo → hang-up → completed with a recording', async () => {
    const creds = (await readDemoSimulatorCredentials(server.platform.repos, 'telnyx'))!;
    const sender = new TelnyxWebhookSender({ url: webhookUrl, privateKey: telnyxPrivateKeyFromBase64(creds.privateKey!) });
    const call = simulatedCall({ from: CALLER, to: ECHO });
    const res = await sender.send(telnyxEvent('call.initiated', call));
    expect(res.status).toBe(200);
    const commands = (JSON.parse(res.body) as { simulator: { commands: SimulatorCommand[] } }).simulator.commands;
    expect(commands.map((c) => c.action)).toEqual(['answer']);
    const stream = await TelnyxCallerStream.open({ url: commands[0]!.stream_url!, callControlId: call.callControlId, clientState: commands[0]!.client_state!, from: CALLER, to: ECHO });
    await sender.send(telnyxEvent('call.answered', call));
    await stream.sendAudio(tone(1000));
    await until(() => stream.receivedAudio().length >= 7000, 3000);
    expect(toneShare(stream.receivedAudio().subarray(800, 7000))).toBeGreaterThan(0.9);
    await stream.hangup();
    await sender.send(telnyxEvent('call.hangup', call, { hangup_cause: 'normal_clearing', hangup_source: 'caller' }));
    expect(await recordingChannels(call.callControlId)).toBe(2);
  }, 20_000);

  describe('a real account (fake Telnyx REST API)', () => {
    let fake: TelnyxFake;
    beforeAll(async () => {
      fake = await TelnyxFake.start({ webhookUrl });
      const admin = await signedInClient(server);
      const put = await admin.put('/api/v1/carriers/telnyx', { apiKey: fake.apiKey, publicKey: fake.keys.publicKeyBase64, connectionId: 'conn-test' });
      expect(put.status).toBe(200);
      const base = server.platform.publicUrl.replace(/^http/, 'ws');
      server.platform.carrierClients.register('telnyx', new TelnyxCarrierClient({ apiBaseUrl: fake.api.url, streamUrl: (r) => `${base}/telephony/telnyx/media?token=${server.platform.calls.mediaToken({ id: r.callId, tenantId: r.tenantId })}` }));
    });
    afterAll(async () => { await fake?.close(); });

    it('answers a duplicated call.initiated once, echoes the tone, ends on the caller hang-up', async () => {
      const call = await fake.inboundCall({ from: CALLER, to: ECHO }, { duplicate: 2 });
      expect(call.initiated.map((d) => d.status)).toEqual([200, 200]);
      const stream = await fake.api.waitForStream(call.callControlId);
      expect(fake.api.commands.filter((c) => c.action === 'answer' && c.callControlId === call.callControlId)).toHaveLength(1);
      await stream.sendAudio(tone(1000));
      await until(() => stream.receivedAudio().length >= 7000, 3000);
      expect(toneShare(stream.receivedAudio().subarray(800, 7000))).toBeGreaterThan(0.9);
      await fake.callerHangup(call);
      expect(await recordingChannels(call.callControlId)).toBe(2);
      const row = (await callRow(call.callControlId))!;
      expect(row.hangupSource).toBe('caller');
    }, 20_000);

    it('refuses forged signatures and replays outside the 300 s window with 403', async () => {
      const call = simulatedCall({ from: CALLER, to: ECHO });
      const forged = await fake.webhooks.send(telnyxEvent('call.initiated', call), { headers: { 'telnyx-signature-ed25519': Buffer.alloc(64, 1).toString('base64') } });
      expect(forged.status).toBe(403);
      const old = new TelnyxWebhookSender({ url: webhookUrl, privateKey: fake.keys.privateKey, timestampSec: () => Math.floor(Date.now() / 1000) - 400 });
      expect((await old.send(telnyxEvent('call.initiated', call))).status).toBe(403);
      const unsigned = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(telnyxEvent('call.initiated', call)) });
      expect(unsigned.status).toBe(403);
      expect(await metric('reason="timestamp_too_old"')).toBeGreaterThanOrEqual(1);
      expect(await callRow(call.callControlId)).toBeNull();
    });

    it('does not answer a call to an unknown number (200 to Telnyx, no answer, no call)', async () => {
      const call = await fake.inboundCall({ from: CALLER, to: '+15550009999' });
      expect(call.initiated[0]!.status).toBe(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(fake.api.commands.filter((c) => c.callControlId === call.callControlId && c.action === 'answer')).toHaveLength(0);
      expect(await callRow(call.callControlId)).toBeNull();
    });

    it('refuses a media upgrade without a valid token, and counts malformed media frames while the call goes on', async () => {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/telephony/telnyx/media?token=forged`);
        ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => { ws.close(); resolve(101); });
      });
      expect(status).toBe(403);

      const call = await fake.inboundCall({ from: CALLER, to: ECHO });
      const stream = await fake.api.waitForStream(call.callControlId);
      const before = await metric('source="telnyx",reason="malformed-json"');
      stream.sendJson('{not json');
      stream.sendJson({ event: 'media', stream_id: stream.streamId, media: { chunk: '1', payload: '***' } });
      await stream.sendAudio(tone(600));
      await until(() => stream.receivedAudio().length >= 4000, 3000);
      expect(await metric('source="telnyx",reason="malformed-json"')).toBe(before + 1);
      expect((await callRow(call.callControlId))?.state).toBe('in-progress');
      await fake.callerHangup(call);
      await until(async () => (await callRow(call.callControlId))?.state === 'completed', 5000);
    }, 15_000);

    it('places an outbound call through the REST API (dial with client_state and stream)', async () => {
      const admin = await signedInClient(server);
      const created = await admin.post('/api/v1/calls', { to: '+15557770000', carrier: 'telnyx', agent: 'echo' });
      expect(created.status).toBe(201);
      const stream = await fake.api.waitForStream(created.body.carrierCallId);
      await stream.sendAudio(tone(600));
      await until(() => stream.receivedAudio().length >= 4000, 3000);
      const hangup = await admin.post(`/api/v1/calls/${created.body.id}/hangup`, { reason: 'test-done' });
      expect(hangup.body.state).toBe('completed');
      await fake.api.waitForCommand('hangup', (c) => c.callControlId === created.body.carrierCallId);
    }, 15_000);
  });
});
