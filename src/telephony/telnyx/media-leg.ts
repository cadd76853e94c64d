import type { RawData, WebSocket } from 'ws';
import type { CarrierLeg, LegAudioFormat, LegEvents } from '../../call/leg.js';
import { MULAW_8K } from '../../call/leg.js';
import { LegEmitter } from './leg-events.js';
import { decodeBase64, readTelnyxFrame } from './media-frames.js';
import type { MediaFrame, StartFrame } from './media-frames.js';
import { streamStart } from './media-start.js';
import type { TelnyxMediaLegOptions, TelnyxStreamStart } from './media-start.js';
import { OutboundAudio } from './outbound-audio.js';
import { ReorderBuffer } from './reorder.js';
import { createConverter, legWireFormat, telnyxWireFormat } from './transcode.js';
import type { Converter, WireFormat } from './transcode.js';

export type { TelnyxCallCommands, TelnyxMediaLegOptions, TelnyxStreamStart } from './media-start.js';

/** One Telnyx media stream (server side of the socket) as a CarrierLeg. */
export class TelnyxMediaLeg implements CarrierLeg {
  readonly carrier = 'telnyx' as const;
  readonly inputFormat: LegAudioFormat;
  readonly outputFormat: LegAudioFormat;
  readonly rejected = new Map<string, number>();
  private readonly emitter: LegEmitter;
  private readonly out: OutboundAudio;
  private readonly reorder: ReorderBuffer<{ bytes: Uint8Array; atMs: number }>;
  private state: 'awaiting_start' | 'streaming' | 'ended' = 'awaiting_start';
  private detached = false;
  private info: TelnyxStreamStart | undefined;
  private inWire: WireFormat | undefined;
  private decode: Converter | undefined;
  /** Why we ended or moved the call (hangup/transfer), so the coming `stop` is reported as ours. */
  private localEnd: string | undefined;
  private started: { resolve: (leg: TelnyxMediaLeg) => void; reject: (e: Error) => void } | undefined;

  private constructor(private readonly ws: WebSocket, private readonly opts: TelnyxMediaLegOptions) {
    this.inputFormat = opts.inputFormat ?? MULAW_8K;
    this.outputFormat = opts.outputFormat ?? MULAW_8K;
    this.emitter = new LegEmitter(opts.maxHeldEvents ?? 500, () => this.reject('held-overflow'));
    this.out = new OutboundAudio((text) => this.send(text), this.outputFormat, opts.now);
    this.reorder = new ReorderBuffer((f) => this.deliverAudio(f.bytes, f.atMs), opts.jitterWindow ?? 3);
  }

  /**
   * Takes over a freshly upgraded socket; resolves once Telnyx sent `start` (rejects on timeout, close, bad codec).
   * Events wait until `resume()`, so nothing is lost while the call is looked up and listeners are attached.
   */
  static accept(ws: WebSocket, opts: TelnyxMediaLegOptions = {}): Promise<TelnyxMediaLeg> {
    const leg = new TelnyxMediaLeg(ws, opts);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => leg.failStart('no start frame in time', 1008), opts.startTimeoutMs ?? 10_000);
      timer.unref();
      leg.started = {
        resolve: (l) => { clearTimeout(timer); resolve(l); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      ws.on('message', (data, isBinary) => leg.onMessage(data, isBinary));
      ws.on('close', () => leg.onClose());
      ws.on('error', () => { /* 'close' follows */ });
    });
  }

  get carrierCallId(): string {
    return this.info?.callControlId ?? '';
  }
  /** The `start` frame (set once `accept` resolved). */
  get start(): TelnyxStreamStart {
    if (this.info === undefined) throw new Error('stream not started');
    return this.info;
  }
  get reorderStats(): Readonly<ReorderBuffer<unknown>['stats']> {
    return this.reorder.stats;
  }

  /** Starts delivering events (those held since `start` first). Call once listeners are attached. */
  resume(): void {
    this.emitter.resume();
  }

  on<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this {
    this.emitter.on(event, listener);
    return this;
  }
  off<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this {
    this.emitter.off(event, listener);
    return this;
  }

  sendAudio(payload: Uint8Array): void {
    if (this.state === 'streaming') this.out.audio(payload);
  }

  mark(name: string): void {
    if (this.state === 'streaming') this.out.mark(name);
  }

  clear(): number {
    if (this.state !== 'streaming') return 0;
    const { droppedMs, pendingMarks } = this.out.clear();
    for (const name of pendingMarks) this.emitter.emit('mark', name);
    return droppedMs;
  }

  playback(): { sentMs: number; playedMs: number } {
    return this.out.playback();
  }

  async hangup(reason: string): Promise<void> {
    if (this.opts.commands === undefined) throw new Error('TelnyxMediaLeg has no REST client (commands) for hangup');
    this.localEnd ??= reason;
    await this.opts.commands.hangup(this.carrierCallId);
  }

  async transfer(to: string): Promise<void> {
    if (this.opts.commands === undefined) throw new Error('TelnyxMediaLeg has no REST client (commands) for transfer');
    this.localEnd ??= 'transfer';
    await this.opts.commands.transfer(this.carrierCallId, { to });
  }

  /** Closes the media stream without touching the call; emits no `ended`, ignores whatever still arrives. */
  close(): void {
    this.detached = true;
    this.emitter.dropHeld('ended');
    if (this.state === 'streaming') this.reorder.flush();
    this.state = 'ended';
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(1000, 'closed');
  }

  private send(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  private reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.opts.onRejected?.(reason);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.detached) return;
    const read = readTelnyxFrame(data, isBinary, this.opts.maxFrameBytes ?? 65_536);
    if (!read.ok) return this.reject(read.reason);
    const frame = read.frame;
    if (frame.event === 'connected') return;
    if (this.state === 'ended') return this.reject(`${frame.event}-after-stop`);
    if (frame.event === 'start') return this.state === 'streaming' ? this.reject('duplicate-start') : this.onStart(frame);
    if (this.state === 'awaiting_start') {
      if (frame.event === 'stop') return this.failStart('stream stopped before start', 1000);
      return this.reject(`${frame.event}-before-start`);
    }
    switch (frame.event) {
      case 'media': return this.onMedia(frame);
      case 'dtmf': return this.emitter.emit('dtmf', frame.dtmf.digit.toUpperCase());
      case 'mark': {
        const kind = this.out.echoed(frame.mark.name);
        if (kind === 'unknown') return this.reject('unknown-mark');
        if (kind === 'played') this.emitter.emit('mark', frame.mark.name);
        return;
      }
      case 'error': return this.opts.onCarrierError?.(frame.payload ?? {});
      case 'stop': return this.end(this.localEnd ?? 'stream-stopped', this.localEnd ? 'platform' : 'caller');
    }
  }

  private onStart(frame: StartFrame): void {
    const s = frame.start;
    const wire = telnyxWireFormat(s.media_format);
    if (wire === undefined) {
      this.reject('unsupported-media-format');
      return this.failStart(`unsupported media_format ${JSON.stringify(s.media_format)}`, 1003);
    }
    this.inWire = wire;
    this.decode = createConverter(wire, legWireFormat(this.inputFormat));
    this.info = streamStart(frame);
    this.state = 'streaming';
    this.started?.resolve(this);
    this.started = undefined;
  }

  private onMedia(frame: MediaFrame): void {
    const m = frame.media;
    // With stream_track both_tracks Telnyx also sends what the caller hears; only the caller is audio in.
    if (m.track !== undefined && m.track !== 'inbound' && m.track !== 'inbound_track') return;
    const bytes = decodeBase64(m.payload);
    if (bytes === undefined) return this.reject('bad-base64');
    if (bytes.length === 0) return this.reject('empty-payload');
    if (this.inWire!.encoding === 'pcm16be' && bytes.length % 2 !== 0) return this.reject('bad-payload-length');
    const atMs = m.timestamp ?? (m.chunk !== undefined ? (m.chunk - 1) * 20 : 0);
    if (m.chunk === undefined) return this.deliverAudio(bytes, atMs);
    const result = this.reorder.push(m.chunk, { bytes, atMs });
    if (result !== 'ok') this.reject(`media-${result}`);
  }

  private deliverAudio(bytes: Uint8Array, atMs: number): void {
    this.emitter.emit('audio', this.decode!(bytes), atMs);
  }

  private failStart(message: string, code: number): void {
    if (this.started === undefined) return;
    this.started.reject(new Error(message));
    this.started = undefined;
    this.state = 'ended';
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, message.slice(0, 120));
  }

  private onClose(): void {
    if (this.state === 'awaiting_start') return this.failStart('socket closed before start', 1000);
    this.end(this.localEnd ?? 'socket-closed', this.localEnd ? 'platform' : 'carrier');
  }

  private end(reason: string, source: Parameters<LegEvents['ended']>[1]): void {
    if (this.state !== 'streaming') return;
    this.reorder.flush();
    this.state = 'ended';
    this.emitter.emit('ended', reason, source);
  }
}
