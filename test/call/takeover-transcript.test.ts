import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AgentSession } from '../../src/call/agent.js';
import { CallSession } from '../../src/call/session.js';
import type { SpeechStream, SpeechStreamRequest, Transcriber } from '../../src/call/supervision/live-transcript.js';
import { humanSpeechStream, PendingSpeechStream, startCallerTranscript, stopCallerTranscript } from '../../src/call/supervision/live-transcript.js';
import { localTranscriber } from '../../src/call/supervision/local-transcriber.js';
import { HumanLeg } from '../../src/call/supervision/media.js';
import { AsrWorkerPool, checkLocalAsr, createLocalSynthesizer } from '../../src/ai/local/index.js';
import { pcm16ToMulaw, resample } from '../../src/media/index.js';
import { FakeLeg } from '../support/fake-leg.js';
import { MemoryJournal } from '../support/memory-journal.js';

/** A transcriber that records what it was given and says what the test tells it to. */
class RecordingTranscriber {
  readonly requests: SpeechStreamRequest[] = [];
  readonly streams: { pushed: number; closed: boolean }[] = [];
  readonly transcriber: Transcriber = async (request) => {
    this.requests.push(request);
    const state = { pushed: 0, closed: false };
    this.streams.push(state);
    const stream: SpeechStream = { push: (s) => { state.pushed += s.length; }, close: async () => { state.closed = true; } };
    return stream;
  };
}

const silentAgent = (): AgentSession & { heard: number } => ({
  kind: 'test', heard: 0,
  async start() {}, onCallerAudio() { this.heard++; }, onDtmf() {}, async close() {},
});

async function liveSession() {
  const leg = new FakeLeg();
  const journal = new MemoryJournal();
  const agent = silentAgent();
  const session = new CallSession({ callId: 'c1', tenantId: 't1', state: 'ringing', leg, agent, journal, tap: null });
  await session.start();
  return { leg, journal, agent, session };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('takeover transcript wiring', () => {
  it('transcribes the caller while the AI is paused (8 kHz phone band), as caller turns, until handed back', async () => {
    const { leg, journal, agent, session } = await liveSession();
    const fake = new RecordingTranscriber();
    session.setAgentPaused(true);
    startCallerTranscript(fake.transcriber, session, journal);
    startCallerTranscript(fake.transcriber, session, journal); // once per call
    await tick();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ sampleRate: 8000, band: 'phone' });
    leg.say(new Uint8Array(160).fill(0x7f), 0);
    expect(fake.streams[0]!.pushed).toBe(160);
    expect(agent.heard).toBe(0);
    fake.requests[0]!.onTurn({ text: 'hello there', final: true, startMs: 10, endMs: 900 });
    expect(journal.turns).toEqual([{ speaker: 'caller', text: 'hello there', final: true, startMs: 10, endMs: 900 }]);
    stopCallerTranscript(session);
    await tick();
    expect(fake.streams[0]!.closed).toBe(true);
    leg.say(new Uint8Array(160).fill(0x7f), 20);
    expect(fake.streams[0]!.pushed).toBe(160);
    await session.end('completed', 'test', 'platform');
  });

  it('closes the caller stream when the call ends, and does nothing without a transcriber', async () => {
    const { journal, session } = await liveSession();
    const fake = new RecordingTranscriber();
    startCallerTranscript(null, session, journal);
    startCallerTranscript(fake.transcriber, session, journal);
    await tick();
    await session.end('completed', 'test', 'platform');
    await tick();
    expect(fake.streams[0]!.closed).toBe(true);
  });

  it('feeds what the person says (PCM16 16 kHz) to their stream as human turns, only while the AI is paused', async () => {
    const { journal, session } = await liveSession();
    const fake = new RecordingTranscriber();
    const human = new HumanLeg(session, () => {}, () => {});
    human.transcribe(humanSpeechStream(fake.transcriber, session, journal));
    await tick();
    expect(fake.requests[0]).toMatchObject({ sampleRate: 16000, band: 'wide' });
    human.speak(new Uint8Array(640));
    expect(fake.streams[0]!.pushed).toBe(0); // not taken over: the caller does not hear it, nothing to transcribe
    session.setAgentPaused(true);
    human.speak(new Uint8Array(640));
    expect(fake.streams[0]!.pushed).toBe(320);
    fake.requests[0]!.onTurn({ text: 'how can i help', final: false, startMs: 0, endMs: 300 });
    expect(journal.turns[0]).toMatchObject({ speaker: 'human', text: 'how can i help', final: false });
    human.close();
    await tick();
    expect(fake.streams[0]!.closed).toBe(true);
    await session.end('completed', 'test', 'platform');
  });

  it('holds what is said while the decoder loads, then hands it over in order; nothing after close', async () => {
    let resolve!: (s: SpeechStream | null) => void;
    const got: number[] = [];
    const stream = new PendingSpeechStream(new Promise((r) => { resolve = r; }));
    stream.push(Int16Array.of(1, 2));
    stream.push(Int16Array.of(3));
    resolve({ push: (s) => got.push(...s), close: async () => {} });
    await tick();
    stream.push(Int16Array.of(4));
    expect(got).toEqual([1, 2, 3, 4]);
    await stream.close();
    stream.push(Int16Array.of(5));
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('says once that speech recognition is missing and transcribes nothing', async () => {
    const warn = vi.fn();
    const missing = { available: false, reason: 'install pocketsphinx' };
    const transcriber = localTranscriber({ log: { warn }, speech: async () => ({ asr: missing, tts: { available: true }, vad: { available: true } }) });
    const request: SpeechStreamRequest = { sampleRate: 16000, band: 'wide', nowMs: () => 0, onTurn: () => {} };
    expect(await transcriber(request)).toBeNull();
    expect(await transcriber(request)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toEqual({ reason: 'install pocketsphinx' });
  });
});

const asr = await checkLocalAsr();
if (!asr.available) console.warn(`[takeover transcript] speech tests skipped: ${asr.reason}`);

describe.skipIf(!asr.available)('local transcriber (pocketsphinx dictation in its worker)', () => {
  const tts = createLocalSynthesizer();
  const pool = new AsrWorkerPool({ size: 1 });
  afterAll(async () => { await pool.close(); await tts.close(); });

  /** Speech at `rate`, then a second of silence (the end of the utterance), pushed in 20 ms frames a bit faster than real time. */
  async function speak(stream: SpeechStream, text: string, rate: 8000 | 16000, clock: { ms: number }) {
    const speech = await tts.synthesize(text, { voice: 'slt' });
    const pcm = Int16Array.from([...resample(speech.samples, speech.sampleRate, rate), ...new Int16Array(rate)]);
    const frame = rate / 50;
    for (let i = 0; i + frame <= pcm.length; i += frame) {
      stream.push(pcm.slice(i, i + frame));
      clock.ms += 20;
      if ((i / frame) % 5 === 4) await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('turns a person\'s speech (16 kHz) into partial turns while they talk and one final turn on the call\'s time line', async () => {
    const turns: { text: string; final: boolean; startMs: number; endMs: number }[] = [];
    const clock = { ms: 5000 };
    const stream = await localTranscriber({ log: { warn: () => {} }, pool, partialEveryMs: 150 })({
      sampleRate: 16000, band: 'wide', nowMs: () => clock.ms, onTurn: (t) => turns.push(t),
    });
    expect(stream).not.toBeNull();
    await speak(stream!, 'I can book you an appointment for tomorrow morning at ten.', 16000, clock);
    await stream!.close();
    const finals = turns.filter((t) => t.final);
    console.log(`[takeover transcript] human: ${JSON.stringify(finals.map((t) => t.text))}, partials ${turns.length - finals.length}`);
    expect(finals).toHaveLength(1);
    expect(finals[0]!.text).toMatch(/appointment|tomorrow|morning|book/);
    expect(finals[0]!.startMs).toBeGreaterThanOrEqual(4900); // the preroll reaches a frame before the first one pushed
    expect(finals[0]!.endMs).toBeGreaterThan(finals[0]!.startMs);
    expect(turns.some((t) => !t.final && t.text.length > 0)).toBe(true);
  }, 60_000);

  it('transcribes a caller on a μ-law 8 kHz leg while a person has the call', async () => {
    const { leg, journal, session } = await liveSession();
    session.setAgentPaused(true);
    startCallerTranscript(localTranscriber({ log: { warn: () => {} }, pool }), session, journal);
    const speech = await tts.synthesize('I would like to change my appointment please.', { voice: 'slt' });
    const pcm = Int16Array.from([...resample(speech.samples, speech.sampleRate, 8000), ...new Int16Array(8000)]);
    // No wait for the decoder to load: what the caller says meanwhile is held for it.
    for (let i = 0; i + 160 <= pcm.length; i += 160) {
      leg.say(pcm16ToMulaw(pcm.subarray(i, i + 160)), i / 8);
      if ((i / 160) % 5 === 4) await new Promise((r) => setTimeout(r, 20));
    }
    const end = Date.now() + 20_000;
    while (!journal.turns.some((t) => t.final) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    stopCallerTranscript(session);
    const finals = journal.turns.filter((t) => t.final);
    console.log(`[takeover transcript] caller: ${JSON.stringify(finals.map((t) => t.text))}`);
    expect(finals[0]).toMatchObject({ speaker: 'caller', final: true });
    expect(finals[0]!.text).toMatch(/appointment|change|please/);
    await session.end('completed', 'test', 'platform');
  }, 60_000);
});
