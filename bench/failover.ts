/**
 * Failover bench: CONVERSATIONS simulated calls (default 60), each on a FailoverSession over two fake OpenAI
 * Realtime servers; the first fails at a random moment with one fault kind (socket closed mid-response, silent,
 * slow, error event, 429, malformed events). Reports recovery, detection and switch times, dead air and
 * transcript segments lost or duplicated, into docs/benchmarks.md.
 * Run: npm run bench:failover   (optional: CONVERSATIONS=60 CONCURRENCY=10)
 */
import { performance } from 'node:perf_hooks';
import { OpenAiRealtimeSession } from '../src/ai/openai-realtime/index.js';
import { FailoverSession, percentile, type ProviderCandidate, type ProviderSwitch } from '../src/ai/router/index.js';
import type { AiEvent } from '../src/ai/session.js';
import { callerFrames, sleep } from '../test/fakes/ai/audio.js';
import { FakeOpenAiRealtime } from '../test/fakes/ai/openai-realtime-server.js';
import type { ConversationScript } from '../test/fakes/ai/script.js';
import { machineLine, writeSection } from './report.js';

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 60);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const FAULTS = ['close_mid_response', 'silent', 'slow', 'error_event', 'rate_limited', 'malformed'] as const;
type Fault = (typeof FAULTS)[number];
const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;

const script: ConversationScript = {
  greeting: 'Thanks for calling Acme, how can I help?',
  turns: [
    { caller: 'Hello there', agent: 'Hi! I can look up orders and answer questions about billing.' },
    { caller: 'Where is my order', agent: 'Your order has shipped and arrives tomorrow morning.' },
    { caller: 'Thanks bye', agent: 'You are welcome, goodbye.' },
  ],
};
const EXPECTED = [`agent: ${script.greeting}`, ...script.turns.flatMap((t) => [`caller: ${t.caller}`, `agent: ${t.agent}`])];

interface Result {
  fault: Fault;
  recovered: boolean;
  switched: ProviderSwitch | undefined;
  detectionMs: number | undefined;
  deadAirMs: number;
  lost: number;
  duplicated: number;
}

function inject(fake: FakeOpenAiRealtime, fault: Fault): void {
  if (fault === 'close_mid_response') fake.faults.closeMidResponse = true;
  else if (fault === 'silent') fake.faults.silent = true;
  else if (fault === 'slow') fake.faults.delayMs = 4000;
  else if (fault === 'error_event') fake.faults.errorEvent = true;
  else if (fault === 'malformed') fake.faults.malformed = true;
  else {
    // The real service's rate limit arrives as an error event of type rate_limit_error.
    const target = fake as unknown as { send: (conn: unknown, event: Record<string, unknown>) => void };
    const send = target.send.bind(fake);
    target.send = (conn, event) => send(conn, event.type === 'error' ? { ...event, error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit reached' } } : event);
    fake.faults.errorEvent = true;
  }
}

async function conversation(fault: Fault, seed: number): Promise<Result> {
  const a = await new FakeOpenAiRealtime({ script, realtime: true, msPerChar: 25 }).start();
  const b = await new FakeOpenAiRealtime({ script, realtime: true, msPerChar: 25 }).start();
  const candidate = (name: string, f: FakeOpenAiRealtime): ProviderCandidate => ({ name, create: () => new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: f.url }, { replyTimeoutMs: 0 }) });
  const session = new FailoverSession({ candidates: [candidate('a', a), candidate('b', b)] });
  const events: AiEvent[] = [];
  let lastAgentAudio = 0;
  let waitingSince: number | undefined;
  let deadAir = 0;
  const completed: Array<() => void> = [];
  session.onEvent((e) => {
    events.push(e);
    if (e.type === 'audio') {
      if (waitingSince !== undefined) deadAir = Math.max(deadAir, performance.now() - waitingSince);
      waitingSince = undefined;
      lastAgentAudio = performance.now();
    }
    if (e.type === 'turn_end' && e.reason === 'interrupted') waitingSince = performance.now();
    if (e.type === 'turn_end' && e.reason === 'completed') for (const done of completed.splice(0)) done();
  });
  let switched: ProviderSwitch | undefined;
  session.onSwitch((s) => (switched = s));
  const turnEnd = (ms: number) => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    completed.push(() => { clearTimeout(timer); resolve(true); });
  });
  // The fault lands at a random moment of the call (after the greeting for malformed: see the report).
  const rand = mulberry(seed);
  const injectAfter = fault === 'malformed' ? 1500 + rand() * 4000 : rand() * 7000;
  let injectedAt = 0;
  const faultTimer = setTimeout(() => { injectedAt = performance.now(); inject(a, fault); }, injectAfter);
  let recovered = true;
  try {
    const greeted = turnEnd(10_000);
    waitingSince = performance.now();
    await session.start({ instructions: 'You are Acme support.', inputFormat: MULAW, speakFirst: true });
    if (!(await greeted)) recovered = false;
    for (let turn = 0; turn < script.turns.length && recovered; turn++) {
      const answered = turnEnd(12_000);
      for (const frame of callerFrames(MULAW)) { session.sendAudio(frame); await sleep(20); }
      waitingSince = performance.now();
      if (!(await answered)) recovered = false;
    }
  } catch {
    recovered = false;
  } finally {
    clearTimeout(faultTimer);
    await session.close();
    await a.close();
    await b.close();
  }
  void lastAgentAudio;
  const finals = events.filter((e): e is Extract<AiEvent, { type: 'transcript' }> => e.type === 'transcript' && e.final).map((t) => `${t.speaker}: ${t.text}`);
  let lost = 0;
  let duplicated = 0;
  for (const line of new Set(EXPECTED)) {
    const n = finals.filter((f) => f === line).length;
    const want = EXPECTED.filter((x) => x === line).length;
    if (n < want) lost += want - n;
    if (n > want) duplicated += n - want;
  }
  duplicated += finals.filter((f) => !EXPECTED.includes(f)).length;
  const s = switched as ProviderSwitch | undefined;
  const detectionMs = s ? Math.min(s.detectionMs, injectedAt ? s.detectedAt - injectedAt : Infinity) : undefined;
  return { fault, recovered, switched: s, detectionMs, deadAirMs: Math.round(deadAir), lost, duplicated };
}

function mulberry(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const stats = (values: number[]) => values.length ? `${Math.round(percentile(values, 0.5))} / ${Math.round(percentile(values, 0.95))} / ${Math.round(Math.max(...values))}` : 'n/a';

async function main(): Promise<void> {
  const started = performance.now();
  const jobs = Array.from({ length: CONVERSATIONS }, (_, i) => ({ fault: FAULTS[i % FAULTS.length]!, seed: 1000 + i }));
  const results: Result[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      results.push(await conversation(job.fault, job.seed));
    }
  }));
  const switched = results.filter((r) => r.switched);
  const lines = [
    `\`npm run bench:failover\` · ${machineLine()} · ${CONVERSATIONS} calls, ${CONCURRENCY} at a time, ${Math.round((performance.now() - started) / 1000)} s`,
    '',
    'Each call: greeting + 3 caller turns on a FailoverSession over two fake OpenAI Realtime servers (agent audio paced in real time); the',
    'first fails at a random moment. Times in ms, p50 / p95 / max. Detection: from the fault (or the reply it withheld) to the switch',
    'decision; switch: decision → next provider started and the turn resumed; dead air: longest wait for agent audio after a cut response.',
    '',
    '| fault | calls | recovered | switched | detection | switch | dead air | segments lost | duplicated |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const fault of [...FAULTS, 'all'] as const) {
    const rows = fault === 'all' ? results : results.filter((r) => r.fault === fault);
    const sw = rows.filter((r) => r.switched);
    lines.push(`| ${fault} | ${rows.length} | ${rows.filter((r) => r.recovered).length} | ${sw.length} | ${stats(sw.map((r) => r.detectionMs!))} | ${stats(sw.map((r) => r.switched!.switchMs))} | ${stats(rows.map((r) => r.deadAirMs))} | ${rows.reduce((n, r) => n + r.lost, 0)} | ${rows.reduce((n, r) => n + r.duplicated, 0)} |`);
  }
  lines.push('', `Faults injected: ${results.length}; switches: ${switched.length} (a fault landing after the last turn needs none; malformed events are dropped, not switched on).`);
  const body = lines.join('\n');
  console.log(body);
  writeSection('AI provider failover', body);
}

await main();
