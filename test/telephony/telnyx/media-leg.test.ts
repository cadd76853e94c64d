import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { MULAW_8K, PCM16_16K } from '../../../src/call/leg.js';
import type { LegAudioFormat } from '../../../src/call/leg.js';
import { goertzelPower, meanSquare, mulawToPcm16, pcm16ToMulaw, pcm16leToInt16, int16ToPcm16le, sine } from '../../../src/media/index.js';
import { TelnyxMediaLeg } from '../../../src/telephony/telnyx/media-leg.js';
import type { TelnyxMediaLegOptions } from '../../../src/telephony/telnyx/media-leg.js';
import { encodeClientState } from '../../../src/telephony/telnyx/events.js';
import { TelnyxCallerStream, toTelnyxWire } from '../../../src/telephony/telnyx/simulator.js';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A ws server whose connections become TelnyxMediaLegs; `legs` resolves them in order. */
async function mediaServer(opts: TelnyxMediaLegOptions = {}) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const accepted: Promise<TelnyxMediaLeg>[] = [];
  const rejected: string[] = [];
  wss.on('connection', (ws) => {
    const p = TelnyxMediaLeg.accept(ws, { onRejected: (r) => rejected.push(r), ...opts });
    p.catch(() => {});
    accepted.push(p);
  });
  closers.push(() => new Promise<void>((r) => { for (const c of wss.clients) c.terminate(); wss.close(() => r()); }));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/telnyx/media`;
  const nextLeg = async (i = 0) => {
    for (let t = 0; accepted[i] === undefined && t < 200; t++) await new Promise((r) => setTimeout(r, 5));
    return accepted[i]!;
  };
  return { url, nextLeg, rejected };
}

/** Attaches listeners that collect a leg's events. */
function collect(leg: TelnyxMediaLeg) {
  const audio: Uint8Array[] = [];
  const dtmf: string[] = [];
  const marks: string[] = [];
  let ended: [string, string] | undefined;
  const endedP = new Promise<[string, string]>((resolve) => leg.on('ended', (r, s) => { ended = [r, s]; resolve([r, s]); }));
  leg.on('audio', (p) => audio.push(Uint8Array.from(p))).on('dtmf', (d) => dtmf.push(d)).on('mark', (m) => marks.push(m));
  leg.resume();
  return { audio, dtmf, marks, endedP, get ended() { return ended; }, bytes: () => Buffer.concat(audio) };
}

async function openCall(url: string, extra: Partial<Parameters<typeof TelnyxCallerStream.open>[0]> = {}) {
  const stream = await TelnyxCallerStream.open({ url, callControlId: 'v3:call-1', callSessionId: 'sess-1', from: '+15550001111', to: '+15550002222', ...extra });
  closers.push(() => stream.ws.terminate());
  return stream;
}

const until = async (pred: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Fraction of the signal's power at `hz`. */
const purity = (pcm: Int16Array, hz: number, rate: number) => goertzelPower(pcm, hz, rate) / meanSquare(pcm);

const tone8k = sine(440, 8000, 8000, 0.5); // 1 s
const tonePcmu = pcm16ToMulaw(tone8k);

describe('TelnyxMediaLeg', () => {
  it('resolves on start with the call, decoded client_state and custom parameters', async () => {
    const srv = await mediaServer();
    await openCall(srv.url, { clientState: encodeClientState('{"callId":"c1"}'), customParameters: { k: 'v' } });
    const leg = await srv.nextLeg();
    expect(leg.carrierCallId).toBe('v3:call-1');
    expect(leg.start).toMatchObject({ callSessionId: 'sess-1', from: '+15550001111', clientState: '{"callId":"c1"}', customParameters: { k: 'v' } });
    expect(leg.start.mediaFormat).toMatchObject({ encoding: 'PCMU', sample_rate: 8000 });
    expect(leg.inputFormat).toEqual(MULAW_8K);
  });

  it('delivers in-order PCMU unchanged (μ-law passthrough), sent in a burst right after start and held until resume()', async () => {
    const srv = await mediaServer();
    const stream = await openCall(srv.url);
    const sending = stream.sendAudio(tonePcmu, { paceMs: 0 });
    const leg = await srv.nextLeg();
    await new Promise((r) => setTimeout(r, 20)); // frames arrive before the owner attaches listeners: held
    const c = collect(leg);
    await sending;
    await stream.hangup();
    expect(await c.endedP).toEqual(['stream-stopped', 'caller']);
    expect(Buffer.compare(c.bytes(), Buffer.from(tonePcmu))).toBe(0);
    expect(purity(mulawToPcm16(c.bytes()), 440, 8000)).toBeGreaterThan(0.95);
  });

  it('reorders shuffled frames and drops duplicates, yielding the exact sine', async () => {
    const srv = await mediaServer({ jitterWindow: 4 });
    const stream = await openCall(srv.url);
    const leg = await srv.nextLeg();
    const c = collect(leg);
    await stream.sendAudio(tonePcmu, { paceMs: 0, shuffleWindow: 5, duplicateEvery: 7, seed: 3 });
    await stream.hangup();
    await c.endedP;
    expect(Buffer.compare(c.bytes(), Buffer.from(tonePcmu))).toBe(0);
    expect(leg.reorderStats.lost).toBe(0);
    expect(srv.rejected.filter((r) => r === 'media-duplicate' || r === 'media-late').length).toBe(Math.ceil(50 / 7));
  });

  it('skips a gap once the jitter window is full, and keeps order', async () => {
    const srv = await mediaServer({ jitterWindow: 3 });
    const stream = await openCall(srv.url);
    const leg = await srv.nextLeg();
    const atMs: number[] = [];
    leg.on('audio', (_p, at) => atMs.push(at)).resume();
    const frame = (chunk: number) => ({ event: 'media', sequence_number: String(chunk + 1), media: { track: 'inbound', chunk: String(chunk), timestamp: String((chunk - 1) * 20), payload: Buffer.alloc(160, 0xff).toString('base64') } });
    for (const chunk of [1, 2, 4, 5, 6, 7, 3, 8]) stream.sendJson(frame(chunk));
    stream.sendJson({ event: 'media', media: { track: 'outbound', chunk: '9', payload: Buffer.alloc(160).toString('base64') } });
    await until(() => atMs.length === 7);
    await new Promise((r) => setTimeout(r, 30));
    expect(atMs).toEqual([0, 20, 60, 80, 100, 120, 140]);
    expect(leg.reorderStats).toMatchObject({ lost: 1, late: 1 });
    expect(srv.rejected).toEqual(['media-late']);
  });

  it.each<[string, { encoding: 'PCMU' | 'PCMA' | 'L16'; sample_rate: number }, LegAudioFormat]>([
    ['PCMU → PCM16 16 kHz', { encoding: 'PCMU', sample_rate: 8000 }, PCM16_16K],
    ['PCMA → μ-law', { encoding: 'PCMA', sample_rate: 8000 }, MULAW_8K],
    ['L16 big-endian 16 kHz → μ-law 8 kHz', { encoding: 'L16', sample_rate: 16000 }, MULAW_8K],
  ])('converts %s', async (_name, mediaFormat, inputFormat) => {
    const srv = await mediaServer({ inputFormat });
    const stream = await openCall(srv.url, { mediaFormat });
    const leg = await srv.nextLeg();
    const c = collect(leg);
    const rate = mediaFormat.sample_rate;
    await stream.sendAudio(toTelnyxWire(sine(440, rate, rate, 0.5), rate, stream.wire), { paceMs: 0 });
    await stream.hangup();
    await c.endedP;
    const out = inputFormat.encoding === 'pcm16' ? pcm16leToInt16(c.bytes()) : mulawToPcm16(c.bytes());
    expect(out.length).toBe(inputFormat.sampleRate); // 1 s
    expect(purity(out.subarray(200), 440, inputFormat.sampleRate)).toBeGreaterThan(0.95);
  });

  it('sends agent audio as base64 PCMU that decodes to the sine, also from PCM16 16 kHz', async () => {
    const srv = await mediaServer({ outputFormat: PCM16_16K });
    const stream = await openCall(srv.url, { realtimePlayback: false });
    const leg = await srv.nextLeg();
    leg.sendAudio(int16ToPcm16le(sine(1000, 16000, 16000, 0.5)));
    await until(() => stream.receivedAudio().length >= 8000);
    const got = mulawToPcm16(stream.receivedAudio());
    expect(got.length).toBe(8000);
    expect(purity(got.subarray(100), 1000, 8000)).toBeGreaterThan(0.95);
    expect(leg.playback().sentMs).toBe(1000);
  });

  it('frames odd-sized agent chunks to 20 ms and pads before a mark; marks come back when played', async () => {
    const srv = await mediaServer();
    const stream = await openCall(srv.url);
    const leg = await srv.nextLeg();
    const c = collect(leg);
    leg.sendAudio(tonePcmu.subarray(0, 1000)); // 125 ms: 120 sent, 5 carried
    expect(leg.playback().sentMs).toBe(120);
    leg.mark('m1');
    expect(leg.playback().sentMs).toBe(140);
    expect(leg.playback().playedMs).toBeLessThan(40);
    const started = Date.now();
    await until(() => c.marks.includes('m1'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90); // played in real time
    expect(leg.playback()).toEqual({ sentMs: 140, playedMs: 140 });
    expect(stream.received.every((p) => p.length % 160 === 0)).toBe(true);
    expect(Buffer.compare(stream.heardAudio().subarray(0, 1000), Buffer.from(tonePcmu.subarray(0, 1000)))).toBe(0);
  });

  it('clear() drops queued audio, returns the ms dropped, and cleared marks do not count as played', async () => {
    const srv = await mediaServer();
    const stream = await openCall(srv.url);
    const leg = await srv.nextLeg();
    const c = collect(leg);
    const sentAt = performance.now();
    leg.sendAudio(tonePcmu.subarray(0, 1600)); // 200 ms
    leg.mark('a');
    leg.sendAudio(pcm16ToMulaw(sine(440, 8000, 16000))); // 2 s
    leg.mark('b');
    await until(() => c.marks.includes('a'));
    await new Promise((r) => setTimeout(r, 200));
    const elapsed = performance.now() - sentAt;
    const dropped = leg.clear();
    expect(elapsed).toBeLessThan(2000); // (on a very slow machine the test would say nothing)
    expect(Math.abs(dropped - (2200 - elapsed))).toBeLessThan(50);
    expect(c.marks).toEqual(['a', 'b']); // the pending mark is reported at the clear
    const { sentMs, playedMs } = leg.playback();
    expect(sentMs).toBe(playedMs);
    expect(sentMs).toBeCloseTo(2200 - dropped, 6);
    await until(() => stream.clears === 1 && stream.marks.includes('b'));
    await new Promise((r) => setTimeout(r, 30));
    expect(c.marks).toEqual(['a', 'b']); // Telnyx's echo of the cleared mark is not reported twice
    expect(srv.rejected).toEqual([]);
    // What the fake caller heard matches the accounting, within network and timer slack.
    expect(Math.abs(stream.heardAudio().length / 8 - playedMs)).toBeLessThan(100);
  });

  it('emits DTMF, and hangup/transfer go through the REST client', async () => {
    const calls: string[] = [];
    const srv = await mediaServer({
      commands: {
        hangup: async (id) => { calls.push(`hangup ${id}`); },
        transfer: async (id, p) => { calls.push(`transfer ${id} ${p.to}`); },
      },
    });
    const stream = await openCall(srv.url);
    const leg = await srv.nextLeg();
    const c = collect(leg);
    stream.sendDtmf('5');
    stream.sendDtmf('#');
    await until(() => c.dtmf.length === 2);
    expect(c.dtmf).toEqual(['5', '#']);
    await leg.transfer('+15550003333');
    await leg.hangup('done');
    expect(calls).toEqual(['transfer v3:call-1 +15550003333', 'hangup v3:call-1']);
    await stream.hangup();
    expect(await c.endedP).toEqual(['transfer', 'platform']);
  });

  it('drops and counts bad frames without closing, and keeps streaming', async () => {
    const srv = await mediaServer({ maxFrameBytes: 4096 });
    const ws = new WebSocket(srv.url);
    closers.push(() => ws.terminate());
    await new Promise((r) => ws.once('open', r));
    const media = (chunk: number, payload = Buffer.alloc(160, 0xff).toString('base64')) =>
      JSON.stringify({ event: 'media', sequence_number: String(chunk + 1), media: { track: 'inbound', chunk: String(chunk), timestamp: String(chunk * 20), payload } });
    ws.send(JSON.stringify({ event: 'connected', version: '1.0.0' }));
    ws.send(media(1));
    ws.send(JSON.stringify({ event: 'start', sequence_number: '1', stream_id: 's', start: { call_control_id: 'v3:x', media_format: { encoding: 'PCMU', sample_rate: 8000, channels: 1 } } }));
    const leg = await srv.nextLeg();
    const c = collect(leg);
    ws.send(Buffer.from([1, 2, 3]));
    ws.send('{not json');
    ws.send(JSON.stringify({ event: 'wat' }));
    ws.send(JSON.stringify([1]));
    ws.send(media(1, '!!notbase64!!'));
    ws.send(media(1, ''));
    ws.send(media(1, 'A'.repeat(8000)));
    ws.send(JSON.stringify({ event: 'dtmf', dtmf: { digit: 'xx' } }));
    ws.send(JSON.stringify({ event: 'media', media: {} }));
    ws.send(JSON.stringify({ event: 'start', start: { call_control_id: 'v3:y' } }));
    ws.send(media(1));
    ws.send(JSON.stringify({ event: 'stop', sequence_number: '9' }));
    ws.send(media(2));
    await c.endedP;
    ws.send(JSON.stringify({ event: 'mark', mark: { name: 'never-sent' } }));
    await until(() => srv.rejected.length === 13);
    expect(srv.rejected).toEqual([
      'media-before-start', 'binary-frame', 'malformed-json', 'unknown-event', 'malformed-message', 'bad-base64',
      'empty-payload', 'oversized-frame', 'invalid-dtmf', 'invalid-media', 'duplicate-start', 'media-after-stop',
      'mark-after-stop',
    ]);
    expect(leg.rejected.get('bad-base64')).toBe(1);
    expect(c.bytes().length).toBe(160); // the one good frame
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('close() ends the stream without an ended event and ignores what still arrives', async () => {
    const srv = await mediaServer();
    const stream = await openCall(srv.url);
    const leg = await srv.nextLeg();
    const c = collect(leg);
    leg.close();
    stream.sendJson({ event: 'media', media: { chunk: '1', payload: 'AAAA' } });
    await stream.closed;
    await new Promise((r) => setTimeout(r, 20));
    expect(c.ended).toBeUndefined();
    expect(c.audio).toEqual([]);
    expect(srv.rejected).toEqual([]);
    expect(leg.clear()).toBe(0);
  });

  it('refuses a stream without start, with an unsupported codec, or closed before start', async () => {
    const srv = await mediaServer({ startTimeoutMs: 100 });
    const silent = new WebSocket(srv.url);
    closers.push(() => silent.terminate());
    await expect(srv.nextLeg(0)).rejects.toThrow(/no start frame/);
    await expect(openCall(srv.url, { mediaFormat: { encoding: 'G722', sample_rate: 16000 } })).resolves.toBeDefined();
    await expect(srv.nextLeg(1)).rejects.toThrow(/unsupported media_format/);
    const early = new WebSocket(srv.url);
    await new Promise((r) => early.once('open', r));
    early.close();
    await expect(srv.nextLeg(2)).rejects.toThrow(/closed before start/);
  });
});
