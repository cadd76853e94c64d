import type { RawData, WebSocket } from 'ws';
import { MULAW_8K } from '../../call/leg.js';
import type { CarrierLeg, HangupSource, LegAudioFormat, LegEvents } from '../../call/leg.js';
import { PayloadDecoder, frameText, readTwilioMessage } from './media-messages.js';
import type { TwilioInboundMessage, TwilioStartMessage, TwilioStreamStart } from './media-messages.js';
import { TwilioMediaSender } from './media-sender.js';
import type { MediaSenderOptions } from './media-sender.js';
import { LegEventGate } from './leg-events.js';
import type { TwilioCallControl } from './rest-client.js';
import { STREAM_TOKEN_PARAM } from './twiml.js';

export interface TwilioMediaLegOptions extends MediaSenderOptions {
  /** Ends or transfers the call at Twilio; without it (or when it fails) `hangup()` closes the socket, ending `<Connect>`. */
  callControl?: TwilioCallControl;
  /** Every dropped input (reason e.g. `malformed-json`, `media-before-start`); wire to metrics.rejectedInput. */
  onRejected?: (reason: string) => void;
  /** How long to wait for `start` (ms, default 10 000). */
  startTimeoutMs?: number;
  /** Largest decoded media payload accepted (bytes, default 16 KiB); larger frames are dropped. */
  maxPayloadBytes?: number;
  /** Events kept between `start` and `resume()` (default 500, i.e. 10 s of audio). */
  maxHeldEvents?: number;
}

/**
 * A Twilio bidirectional media stream (`<Connect><Stream>`) as a CarrierLeg, on the server side of the socket.
 * `accept()` resolves on `start`; events then wait until `resume()` so nothing is lost while the call is looked up.
 * Audio events carry a view of a reused buffer, valid only during the callback: copy it to keep it.
 */
export class TwilioMediaLeg implements CarrierLeg {
  readonly carrier = 'twilio' as const;
  readonly inputFormat: LegAudioFormat = MULAW_8K;
  readonly outputFormat: LegAudioFormat = MULAW_8K;

  private readonly events: LegEventGate;
  private stopped = false;
  /** close() was called: whatever still arrives is ignored, not counted. */
  private detached = false;
  private info: TwilioStreamStart | null = null;
  private sender: TwilioMediaSender | null = null;
  private readonly decoder: PayloadDecoder;
  private localEnd: string | null = null;
  private readonly startTimer: NodeJS.Timeout;
  readonly counters = { framesIn: 0, rejected: 0 };

  /** Waits for `start` on a freshly upgraded (and signature-checked) socket. Rejects on timeout, close or bad start. */
  static accept(ws: WebSocket, opts: TwilioMediaLegOptions = {}): Promise<TwilioMediaLeg> {
    return new Promise((resolve, reject) => { new TwilioMediaLeg(ws, opts, resolve, reject); });
  }

  private constructor(
    private readonly ws: WebSocket,
    private readonly opts: TwilioMediaLegOptions,
    private resolveStart: ((leg: TwilioMediaLeg) => void) | null,
    private rejectStart: ((err: Error) => void) | null,
  ) {
    this.decoder = new PayloadDecoder(opts.maxPayloadBytes ?? 16 * 1024);
    this.events = new LegEventGate(opts.maxHeldEvents ?? 500, () => this.reject('held-overflow'));
    this.startTimer = setTimeout(() => this.failStart('no start event in time'), opts.startTimeoutMs ?? 10_000);
    this.startTimer.unref();
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('error', () => undefined); // a close always follows
    ws.once('close', () => {
      clearTimeout(this.startTimer);
      this.failStart('socket closed before start');
      this.end(this.localEnd ?? 'socket-closed', this.localEnd ? 'platform' : 'carrier');
    });
  }

  get start(): TwilioStreamStart { return this.started(); }
  get carrierCallId(): string { return this.started().callSid; }
  get streamSid(): string { return this.started().streamSid; }
  /** The signed token from the TwiML `<Parameter name="streamToken">`, to check before resume(). */
  get streamToken(): string | undefined { return this.info?.customParameters[STREAM_TOKEN_PARAM]; }

  on<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this { this.events.on(event, listener); return this; }
  off<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this { this.events.off(event, listener); return this; }

  /** Starts delivering events (those held since `start` first). Call once listeners are attached. */
  resume(): void { if (this.info) this.events.open(); }

  sendAudio(payload: Uint8Array): void { if (!this.stopped) this.sender?.sendAudio(payload); }
  mark(name: string): void { if (!this.stopped) this.sender?.mark(name); }
  clear(): number {
    if (this.stopped || !this.sender) return 0;
    const { droppedMs, pendingUserMarks } = this.sender.clear();
    for (const n of pendingUserMarks) this.events.mark(n);
    return droppedMs;
  }
  playback(): { sentMs: number; playedMs: number } { return this.sender?.playback() ?? { sentMs: 0, playedMs: 0 }; }
  /** `media` messages sent to Twilio so far. */
  get framesOut(): number { return this.sender?.framesOut ?? 0; }

  async hangup(reason: string): Promise<void> {
    this.localEnd ??= reason;
    if (!this.opts.callControl || !this.info) return this.ws.close(1000, 'hangup');
    try {
      await this.opts.callControl.hangupCall(this.info.callSid);
    } catch (err) {
      this.ws.close(1000, 'hangup'); // ends <Connect>, and with nothing after it the call
      throw err;
    }
  }

  async transfer(to: string): Promise<void> {
    if (!this.opts.callControl) throw new Error('transfer needs the Twilio REST client (callControl)');
    this.localEnd ??= 'transfer';
    await this.opts.callControl.transferCall(this.carrierCallId, to);
  }

  /** Closes the media stream without touching the call; emits no `ended`. */
  close(): void {
    this.stopped = this.detached = true;
    this.events.silence();
    this.sender?.stop();
    this.ws.close(1000, 'closed');
  }

  private started(): TwilioStreamStart {
    if (!this.info) throw new Error('the Twilio stream has not started');
    return this.info;
  }

  private reject(reason: string): void {
    this.counters.rejected++;
    this.opts.onRejected?.(reason);
  }

  private failStart(why: string): void {
    if (!this.rejectStart) return;
    const reject = this.rejectStart;
    this.rejectStart = this.resolveStart = null;
    this.stopped = true;
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1008, why.slice(0, 100));
    reject(new Error(`Twilio media stream: ${why}`));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.detached) return;
    if (isBinary) return this.reject('binary-frame');
    const text = frameText(data, this.decoder.maxChars + 1024);
    if (text === null) return this.reject('oversized-frame');
    const r = readTwilioMessage(text);
    if (!r.ok) return this.reject(r.reason);
    this.onMessage(r.msg);
  }

  private onMessage(msg: TwilioInboundMessage): void {
    if (msg.event === 'connected') return;
    if (msg.event === 'start') return this.onStart(msg.streamSid, msg.start);
    if (!this.info) {
      if (msg.event === 'stop') return this.failStart('stop before start');
      return this.reject(`${msg.event}-before-start`);
    }
    if (this.stopped) return this.reject(`${msg.event}-after-stop`);
    if (msg.streamSid !== this.info.streamSid) return this.reject('wrong-stream');
    switch (msg.event) {
      case 'media': {
        const m = msg.media;
        if (m.track !== undefined && m.track !== 'inbound') return this.reject('unexpected-track');
        const audio = this.decoder.decode(m.payload);
        if (typeof audio === 'string') return this.reject(audio);
        this.counters.framesIn++;
        return this.events.audio(audio, Number(m.timestamp));
      }
      case 'dtmf':
        return this.events.dtmf(msg.dtmf.digit.toUpperCase());
      case 'mark': {
        const kind = this.sender!.echoed(msg.mark.name);
        if (kind === 'unknown') return this.reject('unknown-mark');
        if (kind === 'user') this.events.mark(msg.mark.name);
        return;
      }
      case 'stop':
        this.stopped = true;
        return this.end(this.localEnd ?? 'stream-stopped', this.localEnd ? 'platform' : 'caller');
    }
  }

  private onStart(streamSid: string, start: TwilioStartMessage['start']): void {
    if (this.info || !this.resolveStart) return this.reject('duplicate-start');
    const f = start.mediaFormat;
    if (f.encoding !== 'audio/x-mulaw' || f.sampleRate !== 8000 || f.channels !== 1) {
      this.reject('unsupported-media-format');
      return this.failStart(`unsupported media format ${f.encoding}/${f.sampleRate}/${f.channels}`);
    }
    clearTimeout(this.startTimer);
    this.info = { ...start, streamSid };
    this.sender = new TwilioMediaSender(this.ws, streamSid, this.opts);
    const resolve = this.resolveStart!;
    this.resolveStart = this.rejectStart = null;
    resolve(this);
  }

  private end(reason: string, source: HangupSource): void {
    this.stopped = true;
    this.sender?.stop();
    this.events.end(reason, source);
  }
}
