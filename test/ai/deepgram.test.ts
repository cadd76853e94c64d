import { afterEach, describe, expect, it } from 'vitest';
import type { SpeechToTextStream, SttEvent } from '../../src/ai/cascade/stages.js';
import { DeepgramSpeechToText, DeepgramTextToSpeech } from '../../src/ai/deepgram/index.js';
import { callerFrames, sleep } from '../fakes/ai/audio.js';
import { FakeDeepgram } from '../fakes/ai/deepgram-server.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
let fake: FakeDeepgram;
let stream: SpeechToTextStream | undefined;

afterEach(async () => {
  await stream?.close();
  stream = undefined;
  await fake?.close();
});

async function openStream(config: Partial<ConstructorParameters<typeof DeepgramSpeechToText>[0]> = {}, fakeOptions = {}, hooks = {}) {
  fake = await new FakeDeepgram(fakeOptions).start();
  stream = await new DeepgramSpeechToText({ apiKey: 'test-key', baseUrl: fake.listenUrl, ...config }, hooks).open({ format: MULAW, language: 'en-US' });
  const events: SttEvent[] = [];
  stream.onEvent((e) => events.push(e));
  return { stream, events };
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

describe('Deepgram streaming STT against the fake /v1/listen', () => {
  it('opens with nova-3, μ-law 8 kHz, interim results, endpointing, utterance end and VAD events', async () => {
    await openStream();
    expect(Object.fromEntries(fake.streams[0]!.query)).toEqual({
      model: 'nova-3', encoding: 'mulaw', sample_rate: '8000', channels: '1', interim_results: 'true', endpointing: '300',
      utterance_end_ms: '1000', vad_events: 'true', smart_format: 'true', language: 'en-US',
    });
  });

  it('maps SpeechStarted, interim and final Results (ms timing), speech_final and UtteranceEnd', async () => {
    const { stream, events } = await openStream();
    for (const frame of [...callerFrames(MULAW, 600, 1400)]) stream.sendAudio(frame);
    await until(() => events.some((e) => e.type === 'utterance_end'));
    expect(events[0]).toEqual({ type: 'speech_started', atMs: 0 });
    const partials = events.filter((e) => e.type === 'transcript' && !e.final);
    expect(partials.length).toBeGreaterThan(0);
    const final = events.find((e) => e.type === 'transcript' && e.final);
    expect(final).toMatchObject({ text: 'Hello there', endOfTurn: true, startMs: 0 });
    expect((final as { endMs: number }).endMs).toBeGreaterThanOrEqual(600);
    expect(events.at(-1)).toMatchObject({ type: 'utterance_end' });
  });

  it('sends KeepAlive while no audio flows, so an idle stream stays open', async () => {
    const { events } = await openStream({ keepAliveMs: 100 }, { idleTimeoutMs: 350 });
    await sleep(700);
    expect(fake.keepAlives()).toBeGreaterThanOrEqual(4);
    expect(events.some((e) => e.type === 'closed')).toBe(false);
  });

  it('without KeepAlive the fake closes with NET-0001 → retryable connection_lost', async () => {
    const { events } = await openStream({ keepAliveMs: 60_000 }, { idleTimeoutMs: 150 });
    await until(() => events.some((e) => e.type === 'closed'));
    expect(events.find((e) => e.type === 'error')).toMatchObject({ error: { code: 'connection_lost', retryable: true } });
  });

  it('Finalize flushes the words in flight; CloseStream ends the stream cleanly', async () => {
    const { stream, events } = await openStream();
    for (const frame of callerFrames(MULAW, 600, 0)) stream.sendAudio(frame);
    stream.finalize();
    await until(() => events.some((e) => e.type === 'transcript' && e.final));
    await stream.close();
    expect(fake.controls.map((c) => c.type)).toEqual(['Finalize', 'CloseStream']);
    expect(events.at(-1)).toEqual({ type: 'closed', reason: 'client' });
  });

  it('counts malformed messages and goes on', async () => {
    const rejected: string[] = [];
    const { stream, events } = await openStream({}, {}, { onRejectedInput: (_s: string, reason: string) => rejected.push(reason) });
    fake.faults.malformed = true;
    for (const frame of callerFrames(MULAW)) stream.sendAudio(frame);
    await until(() => events.some((e) => e.type === 'transcript' && e.final));
    expect(new Set(rejected)).toEqual(new Set(['invalid_json', 'invalid_Results', 'unexpected_binary']));
  });

  it('a wrong key is refused as a non-retryable auth error', async () => {
    fake = await new FakeDeepgram({ apiKey: 'other' }).start();
    const error = await new DeepgramSpeechToText({ apiKey: 'test-key', baseUrl: fake.listenUrl }).open({ format: MULAW }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth_failed', retryable: false });
  });
});

describe('Deepgram Aura TTS against the fake /v1/speak', () => {
  it('streams μ-law 8 kHz for a phone leg, raw (container none)', async () => {
    fake = await new FakeDeepgram({ realtime: true }).start();
    const tts = new DeepgramTextToSpeech({ apiKey: 'test-key', baseUrl: fake.speakUrl });
    const speech = await tts.synthesize('Hello there, caller.', { preferred: MULAW });
    expect(speech.format).toEqual(MULAW);
    let bytes = 0;
    let chunks = 0;
    for await (const chunk of speech.chunks) {
      bytes += chunk.length;
      chunks++;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(bytes).toBe(200 * 8);
    expect(Object.fromEntries(fake.speakRequests[0]!.query)).toEqual({ model: 'aura-2-thalia-en', encoding: 'mulaw', sample_rate: '8000', container: 'none' });
  });

  it('asks linear16 at the leg rate for PCM legs and names the voice model', async () => {
    fake = await new FakeDeepgram().start();
    const tts = new DeepgramTextToSpeech({ apiKey: 'test-key', baseUrl: fake.speakUrl });
    const speech = await tts.synthesize('Hi.', { preferred: { encoding: 'pcm16', sampleRate: 16000 }, voice: 'aura-2-orion-en' });
    expect(speech.format).toEqual({ encoding: 'pcm16', sampleRate: 16000 });
    for await (const _ of speech.chunks) void _;
    expect(fake.speakRequests[0]!.query.get('model')).toBe('aura-2-orion-en');
    expect(fake.speakRequests[0]!.query.get('encoding')).toBe('linear16');
  });

  it('429 is retryable; a body broken off mid-stream rejects with connection_lost', async () => {
    fake = await new FakeDeepgram().start();
    const tts = new DeepgramTextToSpeech({ apiKey: 'test-key', baseUrl: fake.speakUrl });
    fake.speakFaults = { rejectStatus: 429 };
    expect(await tts.synthesize('Hi.', { preferred: MULAW }).catch((e: unknown) => e)).toMatchObject({ code: 'rate_limited', retryable: true, status: 429 });
    fake.speakFaults = { closeMidResponse: true };
    const speech = await tts.synthesize('Hello there, caller.', { preferred: MULAW });
    const broken = await (async () => {
      for await (const _ of speech.chunks) void _;
    })().catch((e: unknown) => e);
    expect(broken).toMatchObject({ code: 'connection_lost' });
  });
});
