import { goertzelPower, meanSquare, mulawToPcm16, pcm16ToMulaw, sine } from '../../../src/media/index.js';
import { TwilioCallSimulator } from '../../../src/telephony/twilio/index.js';
import type { TwilioMediaLeg, TwilioStreamCaller } from '../../../src/telephony/twilio/index.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, officialSign } from '../../fakes/twilio/index.js';
import { ReferenceServer } from './reference-server.js';
import type { ReferenceServerOptions } from './reference-server.js';

export const OUR_NUMBER = '+15557654321';
export const CALLER = '+15551230000';

/** μ-law 8 kHz sine of `ms` milliseconds. */
export function tone(hz: number, ms: number, amplitude = 0.5): Uint8Array {
  return pcm16ToMulaw(sine(hz, 8000, ms * 8, amplitude));
}

/** Fraction of the signal's power at `hz` (≈1 for a pure tone at that frequency). */
export function toneShare(mulaw: Uint8Array, hz: number): number {
  const pcm = mulawToPcm16(mulaw);
  return goertzelPower(pcm, hz, 8000) / meanSquare(pcm);
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

/** How many leading bytes of `signal` appear in `heard`, starting where `signal` first starts in it. */
export function heardPrefix(heard: Uint8Array, signal: Uint8Array): number {
  const probe = Math.min(16, signal.length);
  for (let i = 0; i + probe <= heard.length; i++) {
    let k = 0;
    while (k < probe && heard[i + k] === signal[k]) k++;
    if (k < probe) continue;
    while (k < signal.length && i + k < heard.length && heard[i + k] === signal[k]) k++;
    return k;
  }
  return 0;
}

export interface LegRecorder {
  audio: Uint8Array[];
  timestamps: number[];
  dtmf: string[];
  marks: string[];
  ended: [string, string][];
}

/** Attaches listeners that copy everything the leg emits. */
export function record(leg: TwilioMediaLeg): LegRecorder {
  const r: LegRecorder = { audio: [], timestamps: [], dtmf: [], marks: [], ended: [] };
  leg.on('audio', (p, at) => { r.audio.push(Uint8Array.from(p)); r.timestamps.push(at); });
  leg.on('dtmf', (d) => r.dtmf.push(d));
  leg.on('mark', (m) => r.marks.push(m));
  leg.on('ended', (reason, source) => r.ended.push([reason, source]));
  return r;
}

export interface ConnectedCall {
  server: ReferenceServer;
  sim: TwilioCallSimulator;
  caller: TwilioStreamCaller;
  leg: TwilioMediaLeg;
  rec: LegRecorder;
}

/** Webhook → TwiML → signed media socket → started leg (listeners attached, resumed). */
export async function connectCall(
  opts: Partial<ReferenceServerOptions> & { silenceWhenIdle?: boolean; beforeResume?: (leg: TwilioMediaLeg, caller: TwilioStreamCaller) => Promise<void> } = {},
): Promise<ConnectedCall> {
  const server = await new ReferenceServer({ authToken: TEST_AUTH_TOKEN, numbers: [OUR_NUMBER], manualResume: true, ...opts }).start();
  const sim = new TwilioCallSimulator({
    baseUrl: server.baseUrl, authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID, from: CALLER, to: OUR_NUMBER, sign: officialSign,
  });
  const { answer } = await sim.dialIn();
  if (answer.kind !== 'stream') throw new Error(`expected a stream answer, got ${JSON.stringify(answer)}`);
  const legP = server.nextLeg();
  const caller = await sim.connectMedia(answer, opts.silenceWhenIdle ?? false);
  const leg = await legP;
  await opts.beforeResume?.(leg, caller);
  const rec = record(leg);
  leg.resume();
  return { server, sim, caller, leg, rec };
}

export async function until(test: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
