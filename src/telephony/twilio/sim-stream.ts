import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { pcm16ToMulaw, resample } from '../../media/index.js';
import { computeTwilioSignature } from './signature.js';
import type { TwilioParams } from './signature.js';
import { MULAW_SILENCE_BYTE, Playout } from './sim-playout.js';

/**
 * Twilio's side of a media stream, for the call simulator and tests: opens the socket with a signed upgrade,
 * sends `connected` and `start`, then every 20 ms (real time) one 160-byte μ-law `media` frame (queued caller audio,
 * else silence) while playing out the agent's audio, echoing marks and honouring `clear` like Twilio.
 * Anything the server sends that Twilio would not accept is listed in `violations`.
 */
export interface StreamCallerOptions {
  /** Where to connect (ws:// or wss://). */
  connectUrl: string;
  /** The URL as written in the TwiML, which Twilio signs; defaults to `connectUrl`. */
  signedUrl?: string;
  authToken: string;
  accountSid: string;
  callSid: string;
  customParameters?: Record<string, string>;
  /** Keep sending silence when no caller audio is queued, as Twilio does (default true). */
  silenceWhenIdle?: boolean;
  /** Signature function (defaults to ours; tests may pass the official library's). */
  sign?: (authToken: string, url: string, params: TwilioParams) => string;
  onEvent?: (e: TimelineEvent) => void;
}

export interface TimelineEvent {
  atMs: number;
  kind: string;
  detail?: string;
}

export const FRAME_MS = 20;
const FRAME_BYTES = 160;

export class TwilioStreamCaller {
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  readonly timeline: TimelineEvent[] = [];
  readonly violations: string[] = [];
  readonly marksEchoed: string[] = [];
  readonly playout = new Playout((name) => this.echoMark(name));
  /** Resolves once the socket is closed (by either side). */
  readonly closed: Promise<{ code: number; reason: string }>;
  framesSent = 0;
  clears = 0;
  private readonly callerQueue: Uint8Array[] = [];
  private callerOffset = 0;
  private seq = 0;
  private framesSkipped = 0;
  private readonly t0 = performance.now();
  private nextAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly frame = Buffer.alloc(FRAME_BYTES);

  static async connect(opts: StreamCallerOptions): Promise<TwilioStreamCaller> {
    const sign = opts.sign ?? computeTwilioSignature;
    const ws = new WebSocket(opts.connectUrl, {
      headers: { 'X-Twilio-Signature': sign(opts.authToken, opts.signedUrl ?? opts.connectUrl, {}) },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject); // a refused upgrade: "Unexpected server response: 403"
    });
    return new TwilioStreamCaller(ws, opts);
  }

  private constructor(private readonly ws: WebSocket, private readonly opts: StreamCallerOptions) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => {
      this.stopClock();
      this.note('closed', `${code} ${reason.toString()}`);
      resolve({ code, reason: reason.toString() });
    }));
    ws.on('error', (err) => this.note('socket-error', err.message));
    ws.on('message', (data, isBinary) => this.onServerMessage(data, isBinary));
    this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.send({
      event: 'start', sequenceNumber: String(++this.seq), streamSid: this.streamSid,
      start: {
        streamSid: this.streamSid, accountSid: opts.accountSid, callSid: opts.callSid, tracks: ['inbound'],
        customParameters: opts.customParameters ?? {},
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    this.note('start', this.streamSid);
    this.nextAt = performance.now();
    this.tick();
  }

  /** ms since the simulator connected. */
  now(): number { return performance.now() - this.t0; }

  /** Queues caller audio (μ-law 8 kHz), sent in real-time 20 ms frames. */
  play(mulaw: Uint8Array): void { if (mulaw.length > 0) this.callerQueue.push(mulaw); }

  /** Queues caller audio given as PCM16 at any rate (resampled to 8 kHz, μ-law encoded). */
  playPcm16(samples: Int16Array, sampleRate = 8000): void {
    this.play(pcm16ToMulaw(sampleRate === 8000 ? samples : resample(samples, sampleRate, 8000)));
  }

  /** Caller audio still waiting to be sent (bytes). */
  get callerQueuedBytes(): number {
    return this.callerQueue.reduce((n, b) => n + b.length, 0) - this.callerOffset;
  }

  sendDtmf(digit: string): void {
    this.send({ event: 'dtmf', streamSid: this.streamSid, sequenceNumber: String(++this.seq), dtmf: { track: 'inbound_track', digit } });
    this.note('dtmf', digit);
  }

  /** Sends a raw text or binary frame (tests of bad input). */
  sendRaw(data: string | Buffer): void { this.ws.send(data); }

  /** The caller hangs up: `stop`, then the socket closes. */
  async hangup(): Promise<void> {
    this.stopClock();
    if (this.ws.readyState === WebSocket.OPEN) {
      this.send({ event: 'stop', sequenceNumber: String(++this.seq), streamSid: this.streamSid,
        stop: { accountSid: this.opts.accountSid, callSid: this.opts.callSid } });
      this.note('stop');
      this.ws.close(1000, 'stop');
    }
    await this.closed;
  }

  /** Resolves once `test()` holds (checked every frame and after each server message); rejects after `timeoutMs`. */
  async until(test: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!test()) {
      if (performance.now() > deadline) throw new Error(`simulator: condition not met in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private tick = (): void => {
    const now = performance.now();
    while (this.nextAt <= now && this.ws.readyState === WebSocket.OPEN) {
      this.step();
      this.nextAt += FRAME_MS;
    }
    if (this.ws.readyState === WebSocket.OPEN) this.timer = setTimeout(this.tick, Math.max(0, this.nextAt - performance.now()));
  };

  private step(): void {
    const frameIndex = this.framesSent + this.framesSkipped;
    if (this.fillCallerFrame() || this.opts.silenceWhenIdle !== false) {
      this.ws.send(`{"event":"media","sequenceNumber":"${++this.seq}","streamSid":"${this.streamSid}","media":{"track":"inbound","chunk":"${this.framesSent + 1}","timestamp":"${frameIndex * FRAME_MS}","payload":"${this.frame.toString('base64')}"}}`);
      this.framesSent++;
    } else this.framesSkipped++;
    this.playout.playFrame(FRAME_BYTES);
  }

  /** Fills `frame` from the caller queue (silence-padded); false when nothing was queued. */
  private fillCallerFrame(): boolean {
    this.frame.fill(MULAW_SILENCE_BYTE);
    let filled = 0;
    while (filled < FRAME_BYTES && this.callerQueue.length > 0) {
      const head = this.callerQueue[0]!;
      const take = Math.min(head.length - this.callerOffset, FRAME_BYTES - filled);
      this.frame.set(head.subarray(this.callerOffset, this.callerOffset + take), filled);
      filled += take;
      this.callerOffset += take;
      if (this.callerOffset === head.length) { this.callerQueue.shift(); this.callerOffset = 0; }
    }
    return filled > 0;
  }

  private onServerMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) return this.violation('binary frame (Twilio takes JSON text only)');
    let msg: { event?: unknown; streamSid?: unknown; media?: { payload?: unknown }; mark?: { name?: unknown } };
    try { msg = JSON.parse(data.toString()) as typeof msg; } catch { return this.violation('malformed JSON'); }
    if (msg.streamSid !== this.streamSid) return this.violation(`wrong or missing streamSid in ${String(msg.event)}`);
    if (msg.event === 'media') {
      const p = msg.media?.payload;
      if (typeof p !== 'string' || p.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(p)) return this.violation('media payload is not base64');
      if (this.playout.received.length === 0) this.note('agent-audio', 'first agent media');
      this.playout.enqueueAudio(Buffer.from(p, 'base64'));
    } else if (msg.event === 'mark') {
      if (typeof msg.mark?.name !== 'string') return this.violation('mark without name');
      this.playout.enqueueMark(msg.mark.name);
    } else if (msg.event === 'clear') {
      this.clears++;
      this.note('clear', `${this.playout.clear() / 8} ms dropped`);
    } else this.violation(`unknown event ${String(msg.event)}`);
  }

  private echoMark(name: string): void {
    this.marksEchoed.push(name);
    if (this.ws.readyState === WebSocket.OPEN) this.send({ event: 'mark', sequenceNumber: String(++this.seq), streamSid: this.streamSid, mark: { name } });
  }

  private send(msg: object): void { this.ws.send(JSON.stringify(msg)); }

  private violation(what: string): void {
    this.violations.push(what);
    this.note('violation', what);
  }

  private note(kind: string, detail?: string): void {
    const e: TimelineEvent = { atMs: Math.round(this.now()), kind, ...(detail === undefined ? {} : { detail }) };
    this.timeline.push(e);
    this.opts.onEvent?.(e);
  }

  private stopClock(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  }
}
