/**
 * npm run bench:turn — time from the end of the caller's speech to the first agent audio byte at the carrier leg,
 * for the local pipeline (LocalFlowAgent, booking flow, flite-synthesized caller speech) and for each fake provider
 * (OpenAI Realtime, Gemini Live, cascade Deepgram + OpenAI-compatible chat) at a fixed model latency, through a
 * FakeLeg into a CallSession; caller audio is paced as real-time 20 ms μ-law frames. Writes docs/benchmarks.md.
 * The fakes run in a worker thread (turn-fakes.ts), as a real provider runs on another machine.
 * Options: --turns N (default 50 per pipeline), --latency N (fixed model latency of the fakes, default 200 ms),
 * --only local,openai,gemini,cascade (a subset while iterating: then docs/benchmarks.md is not written).
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { encodeFor } from '../src/ai/agents/audio.js';
import { LocalFlowAgent } from '../src/ai/agents/local-flow-agent.js';
import { createAiSession } from '../src/ai/agents/provider.js';
import { ProviderAgent } from '../src/ai/agents/provider-agent.js';
import { EXAMPLE_FLOWS, validateFlow } from '../src/ai/flows/index.js';
import { createLocalSynthesizer } from '../src/ai/local/index.js';
import type { AgentSession } from '../src/call/agent.js';
import { MULAW_8K } from '../src/call/leg.js';
import { CallSession } from '../src/call/session.js';
import type { FlowDefinition } from '../src/contracts/flows.js';
import { mulawToPcm16 } from '../src/media/index.js';
import { callerFrames } from '../test/fakes/ai/audio.js';
import { FakeLeg } from '../test/support/fake-leg.js';
import { MemoryJournal } from '../test/support/memory-journal.js';
import { machineLine, writeSection } from './report.js';
import type { FakeKind, FakeReply, FakeRequest, FakeWorkerData } from './turn-fakes.js';

const { values } = parseArgs({ options: { turns: { type: 'string', default: '50' }, latency: { type: 'string', default: '200' }, only: { type: 'string', default: 'local,openai,gemini,cascade' } } });
/** Which pipelines to run (`--only gemini,cascade` while iterating); docs/benchmarks.md is written only when all ran. */
const ONLY = new Set(values.only.split(','));
const TURNS = Number(values.turns);
const LATENCY_MS = Number(values.latency);
const FRAME_MS = 20;
const ENDPOINT_MS = 300;
/** A frame is "non-silent" when any sample reaches this level (≈ −50 dBFS); the flite tail below it is silence. */
const VOICED_LEVEL = 100;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Milliseconds on the monotonic clock every thread shares (the fakes' worker stamps with the same clock). */
const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Sample {
  measuredMs: number;
  overheadMs: number | null;
  /** The overhead's two legs (they add up to it): caller frame → the model starts, the model's first output → the leg. */
  inMs?: number;
  outMs?: number;
}
interface Row { pipeline: string; fixed: string; samples: Sample[] }

/** A live call whose leg records when the first agent audio byte after `arm()` arrived. */
async function liveCall(agent: AgentSession) {
  const leg = new FakeLeg();
  let armed = false;
  let firstByte: ((at: number) => void) | null = null;
  let firstByteAt: Promise<number> = new Promise(() => undefined);
  const sendAudio = leg.sendAudio.bind(leg);
  leg.sendAudio = (payload: Uint8Array) => {
    if (armed && firstByte && payload.length > 0) { firstByte(monoMs()); firstByte = null; }
    sendAudio(payload);
  };
  const session = new CallSession({ callId: `bench-${Math.random().toString(36).slice(2)}`, tenantId: 't1', state: 'ringing', leg, agent, journal: new MemoryJournal(), tap: null,
    onError: (err: unknown, where: string) => { process.stderr.write(`agent error (${where}): ${String(err)}\n`); } });
  await session.start();
  let atMs = 0;
  /**
   * The caller sends `frames` in real time (absolute 20 ms schedule, no drift). Returns the time (`monoMs`) just
   * before each frame was handed to the leg. Arms the first-byte probe right before frame `armAt`.
   * The caller sleeps to each frame's due time and never spins: it stands for the carrier, another machine, and
   * must not hold the platform's event loop (frames go out up to ~1 ms late; the times recorded are the real ones).
   */
  const speak = async (frames: Uint8Array[], armAt: number): Promise<number[]> => {
    const sentAt: number[] = [];
    const t0 = monoMs();
    for (let i = 0; i < frames.length; i++) {
      const wait = t0 + i * FRAME_MS - monoMs();
      if (wait > 0) await sleep(wait);
      if (i === armAt) {
        armed = true;
        firstByteAt = new Promise((resolve) => { firstByte = resolve; });
      }
      sentAt.push(monoMs());
      leg.say(frames[i]!, atMs);
      atMs += FRAME_MS;
      leg.playAll();
    }
    return sentAt;
  };
  /** Waits for the first agent byte, then lets the agent finish talking (the carrier plays everything). */
  const answer = async (timeoutMs = 15_000): Promise<number> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timed out waiting for agent audio')), timeoutMs); });
    try {
      const at = await Promise.race([firstByteAt, timeout]);
      armed = false;
      await quiet(leg);
      return at;
    } finally {
      clearTimeout(timer);
    }
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

interface ProviderCase {
  key: FakeKind;
  name: string;
  /** The provider's VAD silence window before it calls the turn over (the platform's setting, or the fake's). */
  windowMs: number;
}

const PROVIDERS: ProviderCase[] = [
  { key: 'openai', name: 'OpenAI Realtime (fake)', windowMs: 500 }, // the platform's turn_detection.silence_duration_ms
  { key: 'gemini', name: 'Gemini Live (fake)', windowMs: 500 }, // the fake's server VAD silence
  { key: 'cascade', name: 'cascade: Deepgram + OpenAI-compatible chat (fakes)', windowMs: 300 }, // the platform's Deepgram endpointing
];

/** The fakes of one provider in a worker thread (bench/turn-fakes.ts); `marks()` says what the fake saw last turn. */
async function fakeWorker(c: ProviderCase) {
  // A worker does not inherit tsx's loader: it registers it, then loads the TypeScript module.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('./turn-fakes.ts', import.meta.url).href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { kind: c.key, latencyMs: LATENCY_MS, silenceMs: c.windowMs } satisfies FakeWorkerData });
  const replies: ((reply: FakeReply) => void)[] = [];
  worker.on('message', (reply: FakeReply) => replies.shift()?.(reply));
  worker.on('error', (err) => { process.stderr.write(`fake worker: ${String(err)}\n`); process.exit(1); });
  const ask = <T extends FakeReply['type']>(request: FakeRequest | null, type: T) => new Promise<Extract<FakeReply, { type: T }>>((resolve, reject) => {
    replies.push((reply) => (reply.type === type ? resolve(reply as Extract<FakeReply, { type: T }>) : reject(new Error(`fake worker said ${reply.type}, not ${type}`))));
    if (request) worker.postMessage(request);
  });
  const { config } = await ask(null, 'ready');
  return {
    config,
    reset: () => worker.postMessage({ type: 'reset' } satisfies FakeRequest),
    marks: async () => (await ask({ type: 'marks' }, 'marks')).marks,
    close: async () => { await ask({ type: 'close' }, 'closed'); await worker.terminate(); },
  };
}

async function provider(c: ProviderCase): Promise<Row> {
  const fake = await fakeWorker(c);
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
    const models: number[] = [];
    const ttsServed: number[] = [];
    const vads: number[] = [];
    for (let i = 0; i < TURNS + 2; i++) {
      fake.reset();
      await sleep(20); // the reset reaches the worker before the caller speaks
      const sentAt = await call.speak(frames, end);
      const first = await call.answer();
      const m = await fake.marks();
      if (m.frameAt === null || m.turnOverAt === null || m.requestAt === null || m.answerAt === null) throw new Error(`${c.name}: the fake never answered the turn (${JSON.stringify(m)})`);
      // The caller frame that completed the fake's silence window: the last one sent before the fake called the turn over.
      const stop = sentAt.findLastIndex((t) => t <= m.turnOverAt!);
      // The model's own latency as the fake served it (its timer fires a little late, on its own thread).
      const model = m.answerAt - m.requestAt;
      // Cascade: the fake TTS's own time from its request to its first audio (a real one takes ~100+ ms here).
      const tts = m.ttsRequestAt !== null && m.ttsAnswerAt !== null ? m.ttsAnswerAt - m.ttsRequestAt : 0;
      // The fake's own VAD work on the frame that ended the turn (a provider's compute, not the platform's).
      const vad = m.turnOverAt - m.frameAt;
      // The first two turns warm up (JIT, sockets); they are not counted.
      if (i >= 2) {
        samples.push({ measuredMs: first - sentAt[end]!, overheadMs: first - sentAt[stop]! - vad - model - tts, inMs: m.requestAt - sentAt[stop]! - vad, outMs: first - m.answerAt - tts });
        vads.push(vad);
        windows.push(sentAt[stop]! - sentAt[end]!);
        models.push(model);
        ttsServed.push(tts);
      }
      await sleep(100);
    }
    await call.session.end('completed', 'bench-over', 'platform').catch(() => undefined);
    const ttsPart = c.key === 'cascade' ? ` + fake TTS's own time (as served: ${f1(pct(ttsServed, 50))} ms)` : '';
    return { pipeline: c.name, fixed: `model ${LATENCY_MS} ms (as served: ${f1(pct(models, 50))} ms)${ttsPart} + VAD window ${c.windowMs} ms (as paced: ${f1(pct(windows, 50))} ms) + fake VAD's own work (${f1(pct(vads, 50))} ms)`, samples };
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
const loadAtStart = loadavg()[0]!.toFixed(1);
const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;
const rows: Row[] = [];
if (ONLY.has('local')) {
  rows.push(await local());
  process.stdout.write(`local done (${Math.round((Date.now() - started) / 1000)} s)\n`);
}
for (const c of PROVIDERS.filter((p) => ONLY.has(p.key))) {
  const row = await provider(c);
  rows.push(row);
  const overheads = row.samples.map((s) => s.overheadMs!).sort((a, b) => a - b);
  process.stdout.write(`${c.name} done (${Math.round((Date.now() - started) / 1000)} s); overheads ms: ${overheads.map(f1).join(' ')}\n`);
  const slow = row.samples.filter((s) => s.overheadMs! > 3).map((s) => `${f1(s.inMs!)}+${f1(s.outMs!)}`);
  if (slow.length > 0) process.stdout.write(`  turns over 3 ms (in+out): ${slow.join(' ')}\n`);
}

const table = [
  '| pipeline | fixed part | turns | end of speech → first byte p50 ms | p95 ms | platform overhead p50 ms | p99 ms | in / out p50 ms |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => {
    const m = r.samples.map((s) => s.measuredMs);
    const o = r.samples.map((s) => s.overheadMs).filter((v): v is number => v !== null);
    const legs = r.samples[0]?.inMs === undefined ? '—' : `${f1(pct(r.samples.map((s) => s.inMs!), 50))} / ${f1(pct(r.samples.map((s) => s.outMs!), 50))}`;
    return `| ${r.pipeline} | ${r.fixed} | ${r.samples.length} | ${f1(pct(m, 50))} | ${f1(pct(m, 95))} | ${o.length ? f1(pct(o, 50)) : '—'} | ${o.length ? f1(pct(o, 99)) : '—'} | ${legs} |`;
  }),
].join('\n');
if (rows.length < PROVIDERS.length + 1) {
  process.stdout.write(`${table}\n(not all pipelines ran: docs/benchmarks.md left as is)\n`);
  process.exit(0);
}
const localP50 = pct(rows[0]!.samples.map((s) => s.measuredMs), 50);
const worstOverhead = Math.max(...rows.slice(1).map((r) => pct(r.samples.map((s) => s.overheadMs ?? 0), 99)));
const verdict = `Result: local p50 ${f1(localP50)} ms — target ${localP50 <= 400 ? 'met' : 'NOT met'}; worst provider overhead p99 ${f1(worstOverhead)} ms — target ${worstOverhead <= 2 ? 'met' : 'NOT met'}.`;
process.stdout.write(`${table}\n${verdict}\n`);
writeSection('Turn latency (bench:turn)', `
Command: \`npm run bench:turn -- --turns ${TURNS} --latency ${LATENCY_MS}\` (${Math.round((Date.now() - started) / 1000)} s).
Machine: ${machineLine()}; load average (1 min) ${loadAtStart} at the start, ${loadavg()[0]!.toFixed(1)} at the end
(the box is shared: scheduler delays of milliseconds land in the tail).
Targets: local p50 ≤ 400 ms with ${ENDPOINT_MS} ms endpointing; platform overhead p99 ≤ 2 ms.

The platform runs in one process: the caller is a FakeLeg feeding a CallSession, 20 ms μ-law 8 kHz frames on an
absolute real-time schedule (no drift); the carrier plays agent audio as soon as it arrives.
**End of caller speech** is the time just before the last non-silent caller frame (a frame with any sample
at or above ${VOICED_LEVEL}/32768, ≈ −50 dBFS) is handed to the leg; only silence frames follow it.
**First byte** is the time of the first \`sendAudio\` call on the leg after that moment.

- Local: LocalFlowAgent with the appointment-booking flow (VAD, pocketsphinx with step grammars, flite), endpointing
  ${ENDPOINT_MS} ms. The caller's three utterances ("I would like to book an appointment", "tomorrow at ten", "yes") are
  synthesized at run time with flite (voice kal) and sent after the agent's prompt has played; calls repeat until
  ${TURNS} turns. The figure includes the ${ENDPOINT_MS} ms endpointing silence, recognition and synthesis of the
  first prompt chunk; no overhead is split out (there is no external model).
- Providers: ProviderAgent on one call per fake, the caller says 400 ms of tone then silence; the fake answers
  ${LATENCY_MS} ms (\`faults.delayMs\`) after its VAD calls the turn over (cascade: the chat completion waits ${LATENCY_MS} ms
  before its first text; the fake Deepgram STT/TTS answer at once). ${TURNS} turns after 2 warm-up turns; with
  ${TURNS} turns p99 is the ${ordinal(Math.ceil(0.99 * TURNS))} smallest, i.e. ${Math.ceil(0.99 * TURNS) === TURNS ? 'the worst turn' : 'next to the worst turn'}.
  The fakes run in a worker thread (\`bench/turn-fakes.ts\`): a real provider is another machine, so its work
  (VAD, JSON, base64, timers, garbage collection) must not run on the platform's event loop. The worker stamps,
  on the monotonic clock both threads share, when the caller frame that ended the turn reached the fake (its
  socket's message event) and when the fake's VAD then called the turn over, when the model began (realtime:
  then; cascade: when the chat request arrived) and when its first playable output left (audio; cascade: the
  first text delta), and, for the cascade, the fake TTS's own time from its request to its first audio.
  **Platform overhead** = first byte − the send time of the caller frame that completed the provider's VAD silence
  window − the fake VAD's own work on that frame (its arrival → the turn-over call: the provider's compute) − the
  model latency as served (first output − model start, in the worker; "as served" in the table, a little over
  ${LATENCY_MS} ms as its timer fires late) − for the cascade the fake TTS's own time. That frame is the last one
  handed to the leg before the fake called the turn over; last non-silent frame → that frame is the silence window
  as paced ("as paced"). The overhead is the sum of two legs ("in / out"): caller frame → the model starts
  (CallSession, the agent, the provider session's encoding, the socket to the fake; cascade: also Deepgram's final
  back to the platform and the chat request out) and the model's first output → the leg (parsing, decoding,
  resampling, the agent; cascade: the chat stream, the sentence, the TTS request and its audio back). Both include
  loopback transit and the wake-up of two threads on a shared box, and a busy platform event loop shows in them
  (the fake's clock does not wait for it), so the overhead is an upper bound of what the platform adds. Not in it:
  Gemini's 8 → 16 kHz input resampling delays the signal by its filter's 2.75 ms, which moves the tone's end into
  the next 20 ms frame of the fake's VAD (as paced 520 ms).
- Method changes (2026-11-27) and why: before, the fakes ran on the platform's thread (their CPU time, GC pauses and
  late timers counted as platform time), the caller spun on \`performance.now()\` for the last millisecond of each
  frame (blocking the platform's loop and allocating megabytes a second: a scavenge every second), the fixed
  ${LATENCY_MS} ms was subtracted instead of what the fake served, and the fake's VAD work counted as platform time.
  Each of those only inflated the figure; none hid a platform cost.
- Fixed on the path (same date): the cascade's HTTP (chat, TTS) moved from \`fetch\` to \`node:http\` with keep-alive
  (fetch cost ~2 ms a request here, p99 tens of ms; each turn also opened a new chat socket, the stream being
  destroyed at \`[DONE]\` instead of drained); the chat tools' zod → JSON Schema conversion, ~1.5 ms on every turn,
  is done once per session; a model chunk ending in ! ? … or a word's . ends the sentence at once instead of
  waiting for the next token; Gemini's 24 kHz audio is resampled and handed out 20 ms at a time (the first piece
  leaves before the rest of a 100 ms message is converted); PCM16 ↔ bytes copy as a block on little-endian hosts;
  base64 audio is checked by length instead of a regex over every character.
- Where the rest goes: OpenAI Realtime and Gemini cross the loopback twice (the caller frame out, the answer
  back). Of a leg's ~0.4–0.7 ms, the platform's own code was ~0.2–0.3 ms inbound (session, encoding, socket
  write) and ~0.1 ms (OpenAI: μ-law passes through) to ~0.5 ms (Gemini before the 20 ms pieces: JSON, base64,
  24 → 8 kHz resampling) outbound, measured by hooking the sockets while profiling; the rest is transit and
  thread wake-ups. The cascade crosses six times (audio to Deepgram, its final back, the chat request out; the
  chat's first text back, the TTS request out, its audio back), with an HTTP request made and parsed on two of
  them: at ~0.5 ms a crossing here it cannot reach 2 ms in this harness whatever the platform does between them.
  Next for it: Deepgram's streaming TTS on a WebSocket kept open per call (one message per sentence instead of
  an HTTP request), and opening the chat and TTS connections when the call starts.

${table}

${verdict}
`);
process.exit(0);
