import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalSynthesizer } from '../../ai/local/tts.js';
import { DEMO_NUMBERS } from '../../call/demo-seed.js';
import { readDemoSimulatorCredentials } from '../../call/simulator-credentials.js';
import { loadSettings } from '../../config/settings.js';
import type { SimulatorCredentials } from '../../contracts/telephony.js';
import { mulawToPcm16, pcm16ToMulaw, readWav, resample, writeWav } from '../../media/index.js';
import { createRepositories, openDatabase } from '../../store/index.js';
import { TelnyxCallerStream, TelnyxWebhookSender, simulatedCall, telnyxEvent, telnyxPrivateKeyFromBase64 } from '../../telephony/telnyx/simulator.js';
import { TwilioCallSimulator, type TwilioStreamCaller } from '../../telephony/twilio/index.js';
import type { Command } from './index.js';

type Values = Record<string, string | boolean | undefined>;
type Carrier = 'twilio' | 'telnyx';
const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

/**
 * `switchboard simulate-call`: behaves like Twilio or Telnyx towards a running server (signed webhooks, the media
 * socket with real-time 20 ms frames, marks and clear honoured), plays a WAV or spoken text as the caller, records
 * what the agent sent back, prints a timeline and a summary. Demo credentials are found without setup.
 */
export const simulateCallCommand: Command = {
  name: 'simulate-call',
  summary: 'Call a running server as Twilio or Telnyx would (signed webhooks, media stream)',
  options: {
    'url': { type: 'string' }, 'carrier': { type: 'string' }, 'to': { type: 'string' }, 'from': { type: 'string' },
    'audio': { type: 'string' }, 'say': { type: 'string', multiple: true }, 'seconds': { type: 'string' }, 'out': { type: 'string' },
    'auth-token': { type: 'string' }, 'account-sid': { type: 'string' }, 'telnyx-private-key': { type: 'string' },
    'email': { type: 'string' }, 'password': { type: 'string' },
  },
  async run(values) {
    const carrier = (str(values['carrier']) ?? 'twilio') as Carrier;
    if (carrier !== 'twilio' && carrier !== 'telnyx') return fail('--carrier is twilio or telnyx');
    const url = (str(values['url']) ?? 'http://localhost:3000').replace(/\/$/, '');
    // With --say: how long the agent may stay quiet before the caller hangs up; else: listening after the audio.
    const seconds = Number(str(values['seconds']) ?? (values['say'] !== undefined ? '5' : '2'));
    if (!Number.isFinite(seconds) || seconds < 0) return fail('--seconds takes a number');
    const t0 = performance.now();
    const note = (kind: string, detail = '') => process.stdout.write(`[${String(Math.round(performance.now() - t0)).padStart(6)} ms] ${kind.padEnd(14)} ${detail}\n`);

    const creds = await findCredentials(carrier, url, values).catch((err: unknown) => { process.stderr.write(`simulate-call: ${String(err instanceof Error ? err.message : err)}\n`); return null; });
    if (!creds) return fail('no simulator credentials: run on the server\'s data directory/database, or pass --email/--password, or --auth-token/--telnyx-private-key');
    // Spoken turns go to the demo booking flow by default; audio files to the echo number (hear yourself back).
    const demoFlow = DEMO_NUMBERS.find((n) => n.carrier === carrier && n.agentKind === 'flow')?.number;
    const to = str(values['to']) ?? (values['say'] !== undefined && demoFlow ? demoFlow : undefined) ?? creds.numbers[0] ?? DEMO_NUMBERS.find((n) => n.carrier === carrier)!.number;
    const from = str(values['from']) ?? '+15551230000';
    const conversational = values['say'] !== undefined;
    const turns = await callerTurns(values);
    const audio = turns.length === 1 ? turns[0]! : concat(turns);
    note('caller', `${carrier} ${from} → ${to} at ${url}, ${audio.length / 8} ms of caller audio in ${turns.length} turn(s), then ${conversational ? `listening until the agent hangs up or is quiet ${seconds} s` : `${seconds} s listening`}`);

    const result = carrier === 'twilio'
      ? await twilioCall({ url, creds, to, from, audio, turns, conversational, seconds, note })
      : await telnyxCall({ url, creds, to, from, audio, turns, conversational, seconds, note });
    if (!result) return 1;
    const out = str(values['out']);
    if (out) writeFileSync(out, writeWav(mulawToPcm16(result.received), 8000, 1));
    process.stdout.write(`\nsummary\n  call id:           ${result.callId ?? 'unknown'}\n  agent audio:       ${result.received.length / 8} ms received\n`
      + (out ? `  agent audio file:  ${out}\n` : '')
      + `  recording:         ${result.callId ? `${url}/api/v1/calls/${result.callId}/recording (and the call in the console)` : 'none'}\n`);
    return 0;
  },
};

function fail(message: string): number {
  process.stderr.write(`simulate-call: ${message}\n`);
  return 2;
}

interface CallArgs {
  url: string; creds: SimulatorCredentials; to: string; from: string; audio: Uint8Array; seconds: number; note: (kind: string, detail?: string) => void;
  /** Caller turns; with `conversational`, each is spoken once the agent has finished speaking (like a person would). */
  turns: Uint8Array[];
  conversational: boolean;
}
interface CallResult { callId: string | null; received: Uint8Array }

async function twilioCall(a: CallArgs): Promise<CallResult | null> {
  const sim = new TwilioCallSimulator({
    baseUrl: a.url, authToken: a.creds.authToken!, accountSid: a.creds.accountId!, from: a.from, to: a.to,
    onEvent: (e) => { if (e.kind !== 'answer' && e.kind !== 'webhook' && e.kind !== 'status') a.note(e.kind, e.detail); },
  });
  a.note('webhook', 'POST /telephony/twilio/voice');
  const { answer, status } = await sim.dialIn();
  a.note('answer', `${status} ${answer.kind}`);
  if (answer.kind !== 'stream') { process.stderr.write(`simulate-call: the server did not connect a stream (${answer.kind})\n`); return null; }
  const callId = decodeURIComponent(new URL(answer.streamUrl).pathname.split('/').pop() ?? '') || null;
  const stream = await sim.connectMedia(answer);
  let closed = false;
  void stream.closed.then(() => { closed = true; });
  if (!a.conversational) {
    stream.play(a.audio);
    await stream.until(() => closed || stream.callerQueuedBytes === 0, a.audio.length / 8 + 10_000);
  } else {
    for (const [i, turn] of a.turns.entries()) {
      await agentFinished(stream, () => closed);
      if (closed) break;
      a.note('caller-says', `turn ${i + 1} (${turn.length / 8} ms)`);
      stream.play(turn);
      await stream.until(() => closed || stream.callerQueuedBytes === 0, turn.length / 8 + 10_000);
    }
  }
  a.note('caller-done', `${stream.framesSent} frames sent`);
  if (a.conversational) await agentQuiet(stream, () => closed, a.seconds * 1000);
  else await Promise.race([stream.closed, new Promise((r) => setTimeout(r, a.seconds * 1000))]);
  if (!closed) { a.note('hangup', 'caller hangs up'); await stream.hangup(); }
  const done = await sim.sendStatus('completed');
  a.note('status', `completed → ${done.status}`);
  if (stream.violations.length) a.note('violations', stream.violations.join('; '));
  return { callId, received: stream.playout.received.bytes() };
}

async function telnyxCall(a: CallArgs): Promise<CallResult | null> {
  const sender = new TelnyxWebhookSender({ url: `${a.url}/telephony/telnyx/webhook`, privateKey: telnyxPrivateKeyFromBase64(a.creds.privateKey!) });
  const call = simulatedCall({ from: a.from, to: a.to });
  a.note('webhook', 'call.initiated');
  const res = await sender.send(telnyxEvent('call.initiated', call));
  let commands: { action: string; stream_url?: string; client_state?: string }[] = [];
  try { commands = (JSON.parse(res.body) as { simulator?: { commands?: typeof commands } }).simulator?.commands ?? []; } catch { /* not a demo answer */ }
  a.note('answer', `${res.status} ${commands.map((c) => c.action).join(', ') || 'no command (a real Telnyx account answers over the Telnyx API)'}`);
  const answer = commands.find((c) => c.action === 'answer' && c.stream_url);
  if (!answer) return null;
  const callId = answer.client_state ? (JSON.parse(Buffer.from(answer.client_state, 'base64').toString('utf8')) as { callId?: string }).callId ?? null : null;
  const stream = await TelnyxCallerStream.open({ url: answer.stream_url!, callControlId: call.callControlId, callSessionId: call.callSessionId, clientState: answer.client_state, from: a.from, to: a.to });
  a.note('start', stream.streamId);
  await sender.send(telnyxEvent('call.answered', call));
  let closed = false;
  void stream.closed.then(() => { closed = true; a.note('closed', 'media socket closed'); });
  let firstAgent = false;
  const watch = setInterval(() => { if (!firstAgent && stream.received.length > 0) { firstAgent = true; a.note('agent-audio', 'first agent media'); } }, 5);
  const silence = new Uint8Array(Math.round(a.seconds * 8000)).fill(0xff);
  await stream.sendAudio(Buffer.concat([a.audio, silence]));
  clearInterval(watch);
  for (const e of stream.timeline) a.note(e.event, `${e.detail ?? ''} (at ${e.atMs} ms of the stream)`);
  if (!closed) { a.note('hangup', 'caller hangs up'); await stream.hangup(); }
  const done = await sender.send(telnyxEvent('call.hangup', call, { hangup_cause: 'normal_clearing', hangup_source: 'caller' }));
  a.note('webhook', `call.hangup → ${done.status}`);
  return { callId, received: stream.receivedAudio() };
}

/**
 * Waits until the agent has spoken and gone quiet: something new was received, nothing is left to play and nothing
 * arrived for a while. Gives up after a few seconds of nothing at all (an agent that does not speak first).
 */
async function agentFinished(stream: TwilioStreamCaller, closed: () => boolean): Promise<void> {
  const startLength = stream.playout.received.length;
  const started = Date.now();
  let lastLength = startLength;
  let lastChange = Date.now();
  while (!closed()) {
    const length = stream.playout.received.length;
    if (length !== lastLength) { lastLength = length; lastChange = Date.now(); }
    const spoke = length > startLength;
    if (spoke && stream.playout.queuedBytes === 0 && Date.now() - lastChange > 700) return;
    if (!spoke && Date.now() - started > 5000) return;
    if (Date.now() - started > 30_000) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * After the last spoken turn the caller listens like a person: while the agent talks, and until it hangs up or has
 * been quiet for `quietMs` (an agent waiting for an answer the caller does not have).
 */
async function agentQuiet(stream: TwilioStreamCaller, closed: () => boolean, quietMs: number): Promise<void> {
  let lastLength = stream.playout.received.length;
  let lastChange = Date.now();
  const started = Date.now();
  while (!closed() && Date.now() - started < 120_000) {
    const length = stream.playout.received.length;
    if (length !== lastLength || stream.playout.queuedBytes > 0) { lastLength = length; lastChange = Date.now(); }
    if (Date.now() - lastChange >= quietMs) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.length; }
  return out;
}

/** Caller turns as μ-law 8 kHz: a WAV file (any rate, mixed to mono), one turn per `--say`, or silence. */
async function callerTurns(values: Values): Promise<Uint8Array[]> {
  const said = (values['say'] as unknown as string[] | undefined) ?? [];
  if (said.length > 0) {
    const tts = createLocalSynthesizer();
    try {
      const turns: Uint8Array[] = [];
      for (const text of said) {
        const speech = await tts.synthesize(text, { voice: 'kal' });
        // Half a second of silence after each turn, as a person pauses; it lets the agent's endpointing fire.
        turns.push(concat([pcm16ToMulaw(speech.sampleRate === 8000 ? speech.samples : resample(speech.samples, speech.sampleRate, 8000)), new Uint8Array(4000).fill(0xff)]));
      }
      return turns;
    } finally {
      await tts.close();
    }
  }
  return [await callerAudio(values)];
}

/** Caller audio as μ-law 8 kHz from a WAV file (any rate, mixed to mono), or nothing. */
async function callerAudio(values: Values): Promise<Uint8Array> {
  const file = str(values['audio']);
  if (file) {
    const wav = readWav(readFileSync(file));
    let mono = wav.samples;
    if (wav.channels > 1) {
      mono = new Int16Array(Math.floor(wav.samples.length / wav.channels));
      for (let i = 0; i < mono.length; i++) {
        let sum = 0;
        for (let c = 0; c < wav.channels; c++) sum += wav.samples[i * wav.channels + c]!;
        mono[i] = Math.round(sum / wav.channels);
      }
    }
    return pcm16ToMulaw(wav.sampleRate === 8000 ? mono : resample(mono, wav.sampleRate, 8000));
  }
  return new Uint8Array(0);
}

/** Flags first, then the admin API (--email/--password), then the server's own store (data dir or DATABASE_URL). */
async function findCredentials(carrier: Carrier, url: string, values: Values): Promise<SimulatorCredentials | null> {
  const authToken = str(values['auth-token']);
  const privateKey = str(values['telnyx-private-key']);
  const given = (c: SimulatorCredentials | null): SimulatorCredentials | null => {
    if (carrier === 'twilio' && authToken) return { carrier, demo: true, accountId: str(values['account-sid']) ?? c?.accountId ?? null, authToken, publicKey: null, privateKey: null, numbers: c?.numbers ?? [] };
    if (carrier === 'telnyx' && privateKey) return { carrier, demo: true, accountId: null, authToken: null, publicKey: null, privateKey, numbers: c?.numbers ?? [] };
    return c;
  };
  if (carrier === 'twilio' && authToken && str(values['account-sid'])) return given(null);
  if (carrier === 'telnyx' && privateKey) return given(null);
  const email = str(values['email']);
  const password = str(values['password']);
  if (email && password) return given(await fromApi(carrier, url, email, password));
  return given(await fromStore(carrier));
}

async function fromApi(carrier: Carrier, url: string, email: string, password: string): Promise<SimulatorCredentials | null> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`login as ${email} failed (${login.status})`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${url}/api/v1/carriers/${carrier}/simulator-credentials`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET simulator-credentials answered ${res.status}`);
  return (await res.json()) as SimulatorCredentials;
}

async function fromStore(carrier: Carrier): Promise<SimulatorCredentials | null> {
  const settings = loadSettings();
  // The embedded database belongs to the running server: read a copy of it, never the live files.
  const copy = settings.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'sb-simulate-'));
  try {
    if (copy) cpSync(join(settings.SWITCHBOARD_DATA_DIR, 'pgdata'), join(copy, 'pgdata'), { recursive: true });
    const database = await openDatabase({ url: settings.DATABASE_URL, dataDir: copy ?? settings.SWITCHBOARD_DATA_DIR, poolSize: 1 });
    try {
      return await readDemoSimulatorCredentials(createRepositories(database.db), carrier, settings.SWITCHBOARD_SECRET);
    } finally {
      await database.close();
    }
  } finally {
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
}
