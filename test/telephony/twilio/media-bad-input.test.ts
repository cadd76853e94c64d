import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TwilioCallSimulator, TwilioStreamCaller, computeTwilioSignature } from '../../../src/telephony/twilio/index.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../../fakes/twilio/index.js';
import { CALLER, OUR_NUMBER, concat, connectCall, tone, until } from './helpers.js';
import { ReferenceServer } from './reference-server.js';

const servers: ReferenceServer[] = [];
afterEach(async () => { for (const s of servers.splice(0)) await s.stop(); });

async function server(opts: Partial<ConstructorParameters<typeof ReferenceServer>[0]> = {}): Promise<ReferenceServer> {
  const s = await new ReferenceServer({ authToken: TEST_AUTH_TOKEN, numbers: [OUR_NUMBER], ...opts }).start();
  servers.push(s);
  return s;
}

/** A raw, correctly signed media socket, for sending messages out of order. */
async function rawSocket(s: ReferenceServer): Promise<WebSocket & { sendJson(m: unknown): void }> {
  const url = `${s.baseUrl.replace('http', 'ws')}/telephony/twilio/media/raw`;
  const ws = new WebSocket(url, { headers: { 'X-Twilio-Signature': computeTwilioSignature(TEST_AUTH_TOKEN, s.mediaUrl('raw'), {}) } });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return Object.assign(ws, { sendJson: (m: unknown) => ws.send(JSON.stringify(m)) });
}

const streamSid = `MZ${'1'.repeat(32)}`;
const media = (payload: string, sid = streamSid) => ({ event: 'media', streamSid: sid, sequenceNumber: '2', media: { track: 'inbound', chunk: '1', timestamp: '0', payload } });

describe('TwilioMediaLeg bad input', () => {
  it('drops and counts malformed frames without closing the stream', async () => {
    const call = await connectCall();
    servers.push(call.server);
    const { caller, leg, rec, server: s } = call;
    const sid = caller.streamSid;
    caller.sendRaw('{not json');
    caller.sendRaw(JSON.stringify(media('abc!', sid)));
    caller.sendRaw(JSON.stringify(media('QUJD', sid)).replace('"QUJD"', '"QUJ"'));
    caller.sendRaw(JSON.stringify(media('A'.repeat(22_000), sid)));
    caller.sendRaw(JSON.stringify({ ...media('AAAA', sid), pad: 'x'.repeat(40_000) }));
    caller.sendRaw(JSON.stringify({ event: 'hello', streamSid: sid }));
    caller.sendRaw(JSON.stringify([1, 2]));
    caller.sendRaw(Buffer.from([1, 2, 3]));
    caller.sendRaw(JSON.stringify(media('AAAA', `MZ${'9'.repeat(32)}`)));
    caller.sendRaw(JSON.stringify({ event: 'dtmf', streamSid: sid, dtmf: { digit: 'X' } }));
    caller.sendRaw(JSON.stringify({ event: 'mark', streamSid: sid, mark: { name: 'never-sent' } }));
    caller.sendRaw(JSON.stringify({ event: 'media', streamSid: sid, media: { timestamp: 'soon', payload: 'AAAA' } }));
    caller.sendRaw(JSON.stringify({ ...media('AAAA', sid), media: { ...media('AAAA', sid).media, track: 'outbound' } }));
    const speech = tone(440, 200);
    caller.play(speech);
    await until(() => rec.audio.length === 10);
    expect(concat(rec.audio)).toEqual(speech);
    expect(s.rejected).toEqual([
      'malformed-json', 'bad-base64', 'bad-base64', 'oversized-payload', 'oversized-frame', 'unknown-event',
      'malformed-message', 'binary-frame', 'wrong-stream', 'invalid-dtmf', 'unknown-mark', 'invalid-media', 'unexpected-track',
    ]);
    expect(leg.counters.rejected).toBe(13);
    expect(rec.ended).toEqual([]);
  });

  it('drops media before start and after stop; a leg starts once start arrives', async () => {
    const s = await server({ manualResume: true });
    const sim = new TwilioCallSimulator({ baseUrl: s.baseUrl, authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, from: CALLER, to: OUR_NUMBER });
    const { answer } = await sim.dialIn();
    if (answer.kind !== 'stream') throw new Error('no stream');
    const ws = await rawSocket(s);
    const legP = s.nextLeg();
    ws.sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    ws.sendJson(media('/w=='));
    ws.sendJson({ event: 'dtmf', streamSid, dtmf: { digit: '1' } });
    ws.sendJson({ event: 'start', sequenceNumber: '1', streamSid, start: {
      streamSid, accountSid: TEST_ACCOUNT_SID, callSid: sim.callSid, tracks: ['inbound'], customParameters: answer.parameters,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } });
    const leg = await legP;
    const ended: string[] = [];
    const audio: number[] = [];
    leg.on('ended', (reason, source) => ended.push(`${reason}/${source}`));
    leg.on('audio', (p) => audio.push(p.length));
    leg.resume();
    ws.sendJson({ event: 'start', streamSid, start: { accountSid: 'AC', callSid: 'CA', mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } });
    ws.sendJson(media('/w=='));
    ws.sendJson({ event: 'stop', sequenceNumber: '5', streamSid, stop: { accountSid: TEST_ACCOUNT_SID, callSid: sim.callSid } });
    ws.sendJson(media('/w=='));
    await until(() => s.rejected.includes('media-after-stop'));
    expect(s.rejected).toEqual(['media-before-start', 'dtmf-before-start', 'duplicate-start', 'media-after-stop']);
    expect(audio).toEqual([1]);
    expect(ended).toEqual(['stream-stopped/caller']);
    ws.close();
  });

  it('refuses an upgrade without a valid signature, and a stream whose token is not for this call', async () => {
    const s = await server({ accountSid: TEST_ACCOUNT_SID });
    const stranger = new TwilioCallSimulator({ baseUrl: s.baseUrl, authToken: TEST_AUTH_TOKEN, accountSid: `AC${'e'.repeat(32)}`, from: CALLER, to: OUR_NUMBER });
    expect((await stranger.dialIn()).status).toBe(403);
    const sim = new TwilioCallSimulator({ baseUrl: s.baseUrl, authToken: 'wrong-token', accountSid: TEST_ACCOUNT_SID, from: CALLER, to: OUR_NUMBER });
    expect((await sim.dialIn()).status).toBe(403);
    const good = new TwilioCallSimulator({ baseUrl: s.baseUrl, authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, from: CALLER, to: OUR_NUMBER });
    const { answer } = await good.dialIn();
    if (answer.kind !== 'stream') throw new Error('no stream');
    await expect(TwilioStreamCaller.connect({
      connectUrl: `${s.baseUrl.replace('http', 'ws')}/telephony/twilio/media/x`, signedUrl: 'wss://elsewhere.example/telephony/twilio/media/x',
      authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, callSid: good.callSid, customParameters: answer.parameters,
    })).rejects.toThrow(/403/);
    const other = new TwilioCallSimulator({ baseUrl: s.baseUrl, authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, from: CALLER, to: OUR_NUMBER });
    const stolen = await TwilioStreamCaller.connect({
      connectUrl: `${s.baseUrl.replace('http', 'ws')}/telephony/twilio/media/${other.callSid}`, signedUrl: s.mediaUrl(other.callSid),
      authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, callSid: other.callSid, customParameters: answer.parameters,
    });
    await stolen.closed;
    expect(s.refused).toEqual(['unknown-account', 'bad-signature', 'bad-upgrade-signature']);
    expect(s.rejected).toEqual(['stream-token-wrong-call']);
  });

  it('gives up on a socket that never starts, and on a media format other than μ-law 8 kHz', async () => {
    const s = await server({ legOptions: { startTimeoutMs: 100 } });
    const silent = await rawSocket(s);
    const closed = await new Promise<number>((resolve) => silent.once('close', resolve));
    expect(closed).toBe(1008);
    const l16 = await rawSocket(s);
    l16.sendJson({ event: 'start', streamSid, start: { accountSid: TEST_ACCOUNT_SID, callSid: `CA${'2'.repeat(32)}`, tracks: ['inbound'],
      customParameters: {}, mediaFormat: { encoding: 'audio/x-l16', sampleRate: 16000, channels: 1 } } });
    await new Promise((resolve) => l16.once('close', resolve));
    expect(s.rejected).toEqual([
      'Twilio media stream: no start event in time', 'unsupported-media-format', 'Twilio media stream: unsupported media format audio/x-l16/16000/1',
    ]);
  });

  it('answers a call to an unknown number with <Reject>', async () => {
    const s = await server({ numbers: [] });
    const sim = new TwilioCallSimulator({ baseUrl: s.baseUrl, authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, from: CALLER, to: OUR_NUMBER });
    const res = await sim.dialIn();
    expect(res.status).toBe(200);
    expect(res.contentType).toContain('text/xml');
    expect(res.answer).toEqual({ kind: 'reject', reason: 'rejected' });
  });
});
