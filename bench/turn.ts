/**
 * npm run bench:turn — time from the end of the caller's speech to the first agent audio byte at the carrier leg,
 * for the local pipeline (LocalFlowAgent, booking flow, flite-synthesized caller speech) and for each fake provider
 * (OpenAI Realtime, Gemini Live, cascade Deepgram + OpenAI-compatible chat) at a fixed model latency, through a
 * FakeLeg into a CallSession; caller audio is paced as real-time 20 ms μ-law frames. Writes docs/benchmarks.md.
 * Options: --turns N (default 20 per pipeline), --latency N (fixed model latency of the fakes, default 200 ms).
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { encodeFor } from '../src/ai/agents/audio.js';
import { LocalFlowAgent } from '../src/ai/agents/local-flow-agent.js';
import { createAiSession, type ProviderConfig } from '../src/ai/agents/provider.js';
import { ProviderAgent } from '../src/ai/agents/provider-agent.js';
import { EXAMPLE_FLOWS, validateFlow } from '../src/ai/flows/index.js';
import { createLocalSynthesizer } from '../src/ai/local/index.js';
import type { AgentSession } from '../src/call/agent.js';
import { MULAW_8K } from '../src/call/leg.js';
import { CallSession } from '../src/call/session.js';
import type { FlowDefinition } from '../src/contracts/flows.js';
import { mulawToPcm16 } from '../src/media/index.js';
import { callerFrames } from '../test/fakes/ai/audio.js';
import { FakeDeepgram } from '../test/fakes/ai/deepgram-server.js';
import { FakeGeminiLive } from '../test/fakes/ai/gemini-live-server.js';
import { FakeOpenAiCompatible } from '../test/fakes/ai/openai-compatible-server.js';
import { FakeOpenAiRealtime } from '../test/fakes/ai/openai-realtime-server.js';
import type { ConversationScript } from '../test/fakes/ai/script.js';
import { FakeLeg } from '../test/support/fake-leg.js';
import { MemoryJournal } from '../test/support/memory-journal.js';
import { machineLine, writeSection } from './report.js';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '20' }, latency: { type: 'string', default: '200' } } });
const TURNS = Number(values.turns);
const LATENCY_MS = Number(values.latency);
const FRAME_MS = 20;
const ENDPOINT_MS = 300;
/** A frame is "non-silent" when any sample reaches this level (≈ −50 dBFS); the flite tail below it is silence. */
const VOICED_LEVEL = 100;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Sample { measuredMs: number; overheadMs: number | null }
interface Row { pipeline: string; fixed: string; samples: Sample[] }

/** A live call whose leg records when the first agent audio byte after `arm()` arrived. */
async function liveCall(agent: AgentSession) {
  const leg = new FakeLeg();
  let armed = false;
  let firstByteAt: number | null = null;
  const sendAudio = leg.sendAudio.bind(leg);
  leg.sendAudio = (payload: Uint8Array) => {
    if (armed && firstByteAt === null && payload.length > 0) firstByteAt = performance.now();
    sendAudio(payload);
  };
  const session = new CallSession({ callId: `bench-${Math.random().toString(36).slice(2)}`, tenantId: 't1', state: 'ringing', leg, agent, journal: new MemoryJournal(), tap: null,
    onError: (err: unknown, where: string) => { process.stderr.write(`agent error (${where}): ${String(err)}\n`); } });
  await session.start();
  let atMs = 0;
  /**
   * The caller sends `frames` in real time (absolute 20 ms schedule, no drift). Returns the wall time just before
   * each frame was handed to the leg. Arms the first-byte probe right before frame `armAt`.
   */
  const speak = async (frames: Uint8Array[], armAt: number): Promise<number[]> => {
    const sentAt: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < frames.length; i++) {
      const due = t0 + i * FRAME_MS;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait - 1);
      while (performance.now() < due) { /* spin the last millisecond for an exact schedule */ }
      if (i === armAt) { armed = true; firstByteAt = null; }
      sentAt.push(performance.now());
      leg.say(frames[i]!, atMs);
      atMs += FRAME_MS;
      leg.playAll();
    }
    return sentAt;
  };
  /** Waits for the first agent byte, then lets the agent finish talking (the carrier plays everything). */
  const answer = async (timeoutMs = 15_000): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    while (firstByteAt === null) {
      if (Date.now() > deadline) throw new Error('timed out waiting for agent audio');
      leg.playAll();
      await sleep(1);
    }
    const at = firstByteAt;
    armed = false;
    await quiet(leg);
    return at;
  };
  return { leg, session, speak, answer };
}

/** Until the agent has sent nothing for 300 ms, the carrier playing everything. */
async function quiet(leg: FakeLeg): Promise<void> {
  let n = -1;
  while (n !== leg.sent.length) { n = leg.sent.length; leg.playAll(); await sleep(300); }
  leg.playAll();
}

function lastVoiced(frames: Uint8Array[]): number {
  for (let i = frames.length - 1; i >= 0; i--) if (mulawToPcm16(frames[i]!).some((s) => Math.abs(s) >= VOICED_LEVEL)) return i;
  throw new Error('no voiced frame');
}

function frames20(audio: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 160 <= audio.length; i += 160) out.push(audio.subarray(i, i + 160));
  return out;
}

// ---- (a) local pipeline -------------------------------------------------------------------------------------------

async function local(): Promise<Row> {
  const booking = validateFlow(EXAMPLE_FLOWS.find((f) => f.id === 'appointment-booking')).flow as FlowDefinition;
  const tts = createLocalSynthesizer();
  try {
    const silence = (ms: number) => new Uint8Array(ms * 8).fill(0xff);
    const utterance = async (text: string) => {
      const { samples, sampleRate } = await tts.synthesize(text, { voice: 'kal' });
      return frames20(Buffer.concat([silence(200), encodeFor(samples, sampleRate, MULAW_8K), silence(ENDPOINT_MS + 500)]));
    };
    const said = await Promise.all(['I would like to book an appointment', 'tomorrow at ten', 'yes'].map(utterance));
    const samples: Sample[] = [];
    while (samples.length < TURNS) {
      const agent = new LocalFlowAgent({ flow: booking, synthesizer: tts, voice: 'slt', endpointMs: ENDPOINT_MS });
      const call = await liveCall(agent);
      await sleep(200);
      await quiet(call.leg); // greeting and first prompt played out
      await sleep(400);      // past the echo guard
      for (const frames of said) {
        const end = lastVoiced(frames);
        const sentAt = await call.speak(frames, end);
        const first = await call.answer();
        samples.push({ measuredMs: first - sentAt[end]!, overheadMs: null });
        await sleep(400);
        if (call.leg.hungUp !== null) break;
      }
      await call.session.end('completed', 'bench-over', 'platform').catch(() => undefined);
    }
    return { pipeline: 'local (LocalFlowAgent, booking flow)', fixed: `endpointing ${ENDPOINT_MS} ms`, samples: samples.slice(0, TURNS) };
  } finally {
    tts.close();
  }
}

// ---- (b) fake providers -------------------------------------------------------------------------------------------

const KEY = 'bench-key';
const SCRIPT: ConversationScript = { turns: [{ caller: 'Hello there', agent: 'Hi! How can I help you today?' }] };

interface ProviderCase {
  name: string;
  /** The provider's VAD silence window before it calls the turn over (the platform's setting, or the fake's). */
  windowMs: number;
  /** `turnOver` is wrapped around the fake's own method that runs when its VAD calls the turn over. */
  start(turnOver: (fake: object, method: string) => void): Promise<{ config: ProviderConfig; close(): Promise<void> }>;
}

/** Wall time at which the fake's VAD last called a caller turn over (set by the wrapped fake method). */
let turnOverAt: number | null = null;
function turnOver(fake: object, method: string): void {
  const target = fake as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method]!.bind(fake);
  target[method] = (...args: unknown[]) => { turnOverAt ??= performance.now(); return original(...args); };
}

const PROVIDERS: ProviderCase[] = [
  {
    name: 'OpenAI Realtime (fake)', windowMs: 500, // the platform's turn_detection.silence_duration_ms
    async start(hook) {
      const f = await new FakeOpenAiRealtime({ apiKey: KEY, script: SCRIPT }).start();
      hook(f, 'respond');
      f.faults.delayMs = LATENCY_MS;
      return { config: { kind: 'openai', url: f.url, key: KEY }, close: () => f.close() };
    },
  },
  {
    name: 'Gemini Live (fake)', windowMs: 500, // the fake's server VAD silence
    async start(hook) {
      const f = await new FakeGeminiLive({ apiKey: KEY, script: SCRIPT, silenceMs: 500 }).start();
      hook(f, 'answer');
      f.faults.delayMs = LATENCY_MS;
      return { config: { kind: 'gemini', url: f.url, key: KEY }, close: () => f.close() };
    },
  },
  {
    name: 'cascade: Deepgram + OpenAI-compatible chat (fakes)', windowMs: 300, // the platform's Deepgram endpointing
    async start(hook) {
      const dg = await new FakeDeepgram({ apiKey: KEY, script: SCRIPT }).start();
      hook(dg, 'final'); // the final result with speech_final
      const chat = await new FakeOpenAiCompatible({ apiKey: KEY, script: SCRIPT }).start();
      chat.faults.delayMs = LATENCY_MS; // the model latency sits in the chat completion; STT and TTS answer at once
      return {
        config: { kind: 'cascade', url: chat.baseUrl, key: KEY, deepgram: { key: KEY, listenUrl: dg.listenUrl, speakUrl: dg.speakUrl } },
        close: async () => { await dg.close(); await chat.close(); },
      };
    },
  },
];

async function provider(c: ProviderCase): Promise<Row> {
  const fake = await c.start(turnOver);
  try {
    const agent = new ProviderAgent({ session: () => createAiSession(fake.config), instructions: 'Be brief.' });
    const call = await liveCall(agent);
    await sleep(300);
    await quiet(call.leg);
    const samples: Sample[] = [];
    // 400 ms of tone, then the silence window and 300 ms more of silence, every frame in real time.
    const frames = callerFrames({ encoding: 'mulaw', sampleRate: 8000 }, 400, c.windowMs + 300);
    const end = lastVoiced(frames);
    const windows: number[] = [];
    for (let i = 0; i < TURNS + 2; i++) {
      turnOverAt = null;
      const sentAt = await call.speak(frames, end);
      const first = await call.answer();
      if (turnOverAt === null) throw new Error(`${c.name}: the fake never called the turn over`);
      // The caller frame that completed the fake's silence window: the last one sent before the fake called the turn over.
      const stop = sentAt.findLastIndex((t) => t <= turnOverAt!);
      // The first two turns warm up (JIT, sockets); they are not counted.
      if (i >= 2) {
        samples.push({ measuredMs: first - sentAt[end]!, overheadMs: first - sentAt[stop]! - LATENCY_MS });
        windows.push(sentAt[stop]! - sentAt[end]!);
      }
      await sleep(100);
    }
    await call.session.end('completed', 'bench-over', 'platform').catch(() => undefined);
    return { pipeline: c.name, fixed: `model ${LATENCY_MS} ms + VAD window ${c.windowMs} ms (as paced: ${f1(pct(windows, 50))} ms)`, samples };
  } finally {
    await fake.close();
  }
}

// ---- report -------------------------------------------------------------------------------------------------------

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const f1 = (n: number) => n.toFixed(1);

const started = Date.now();
const rows: Row[] = [];
rows.push(await local());
process.stdout.write(`local done (${Math.round((Date.now() - started) / 1000)} s)\n`);
for (const c of PROVIDERS) {
  rows.push(await provider(c));
  process.stdout.write(`${c.name} done (${Math.round((Date.now() - started) / 1000)} s)\n`);
}

const table = [
  '| pipeline | fixed part | turns | end of speech → first byte p50 ms | p95 ms | platform overhead p50 ms | p99 ms |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const m = r.samples.map((s) => s.measuredMs);
    const o = r.samples.map((s) => s.overheadMs).filter((v): v is number => v !== null);
    return `| ${r.pipeline} | ${r.fixed} | ${r.samples.length} | ${f1(pct(m, 50))} | ${f1(pct(m, 95))} | ${o.length ? f1(pct(o, 50)) : '—'} | ${o.length ? f1(pct(o, 99)) : '—'} |`;
  }),
].join('\n');
const localP50 = pct(rows[0]!.samples.map((s) => s.measuredMs), 50);
const worstOverhead = Math.max(...rows.slice(1).map((r) => pct(r.samples.map((s) => s.overheadMs ?? 0), 99)));
const verdict = `Result: local p50 ${f1(localP50)} ms — target ${localP50 <= 400 ? 'met' : 'NOT met'}; worst provider overhead p99 ${f1(worstOverhead)} ms — target ${worstOverhead <= 2 ? 'met' : 'NOT met'}.`;
process.stdout.write(`${table}\n${verdict}\n`);
writeSection('Turn latency (bench:turn)', `
Command: \`npm run bench:turn -- --turns ${TURNS} --latency ${LATENCY_MS}\` (${Math.round((Date.now() - started) / 1000)} s).
Machine: ${machineLine()}.
Targets: local p50 ≤ 400 ms with ${ENDPOINT_MS} ms endpointing; platform overhead p99 ≤ 2 ms.

Everything runs in one process: the caller is a FakeLeg feeding a CallSession, 20 ms μ-law 8 kHz frames on an
absolute real-time schedule (no drift); the carrier plays agent audio as soon as it arrives.
**End of caller speech** is the wall time just before the last non-silent caller frame (a frame with any sample
at or above ${VOICED_LEVEL}/32768, ≈ −50 dBFS) is handed to the leg; only silence frames follow it.
**First byte** is the wall time of the first \`sendAudio\` call on the leg after that moment.

- Local: LocalFlowAgent with the appointment-booking flow (VAD, pocketsphinx with step grammars, flite), endpointing
  ${ENDPOINT_MS} ms. The caller's three utterances ("I would like to book an appointment", "tomorrow at ten", "yes") are
  synthesized at run time with flite (voice kal) and sent after the agent's prompt has played; calls repeat until
  ${TURNS} turns. The figure includes the ${ENDPOINT_MS} ms endpointing silence, recognition and synthesis of the
  first prompt chunk; no overhead is split out (there is no external model).
- Providers: ProviderAgent on one call per fake, the caller says 400 ms of tone then silence; the fake answers
  ${LATENCY_MS} ms (\`faults.delayMs\`) after its VAD calls the turn over (cascade: the chat completion waits ${LATENCY_MS} ms,
  the fake Deepgram STT/TTS answer at once). ${TURNS} turns after 2 warm-up turns.
  **Platform overhead** = first byte − the send time of the caller frame that completed the provider's VAD silence
  window − ${LATENCY_MS} ms, i.e. measured − fixed model latency − the silence window as actually paced ("as paced" in
  the table: last non-silent frame → that frame, which includes the fake VAD's own frame granularity, e.g. one
  more 20 ms frame for Gemini's 16 kHz input). That frame is the last one handed to the leg before the fake's
  turn-end handler ran (the bench wraps it to timestamp it). The overhead thus covers the caller frame's way
  through CallSession, the agent and the loopback socket to the fake, and the answer's way back to the leg
  (cascade: also the chat stream and the fake Deepgram TTS request); it is an upper bound of what the platform adds.

${table}

${verdict}
`);
process.exit(0);
