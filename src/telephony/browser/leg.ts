import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { SessionServerMessage } from '../../contracts/events.js';
import { PCM16_16K, type CarrierLeg, type HangupSource, type LegEvents } from '../../call/leg.js';
import { PlaybackLedger } from '../playback.js';
import { pcm16ByteFramer, type Framer } from '../../media/index.js';

/** 20 ms of PCM16 at 16 kHz. */
export const BROWSER_FRAME_BYTES = 640;
/** Larger binary messages are refused: half a second is more than any sane client sends at once. */
export const MAX_BROWSER_MESSAGE_BYTES = BROWSER_FRAME_BYTES * 25;
/** A mark the browser never echoes is taken as played this long after the modelled playback reached it. */
const MARK_GRACE_MS = 1000;

export interface BrowserLegOptions {
  /** The call's hang-up: ends the session (sends `ended`, closes the socket). */
  onHangup: (reason: string) => Promise<void>;
  /** Bad input from the client, for metrics. */
  onRejected?: (reason: string) => void;
  clock?: () => number;
}

/**
 * The browser socket as a carrier leg: binary PCM16 16 kHz frames both ways, JSON control (`mark`/`clear` out;
 * `mark`, `played`, `dtmf` in). Playback is modelled by the clock and corrected by the browser's reports, so a
 * client that never echoes marks still gets barge-in and voicemail right.
 */
export class BrowserLeg extends EventEmitter implements CarrierLeg {
  readonly carrier = 'browser' as const;
  readonly inputFormat = PCM16_16K;
  readonly outputFormat = PCM16_16K;
  private readonly framer: Framer<Uint8Array> = pcm16ByteFramer(16000);
  private readonly tracker: PlaybackLedger;
  private readonly markTimers = new Map<string, NodeJS.Timeout>();
  private framesIn = 0;
  private done = false;

  constructor(private readonly socket: WebSocket, readonly carrierCallId: string, private readonly options: BrowserLegOptions) {
    super();
    this.tracker = new PlaybackLedger(options.clock);
  }

  override on<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this {
    return super.off(event, listener);
  }

  /** A binary message from the browser: PCM16 audio, re-framed to 20 ms. Odd or oversized messages are dropped. */
  receiveAudio(data: Uint8Array): void {
    if (this.done) return;
    if (data.length === 0 || data.length % 2 !== 0 || data.length > MAX_BROWSER_MESSAGE_BYTES) {
      this.options.onRejected?.(data.length > MAX_BROWSER_MESSAGE_BYTES ? 'oversized-frame' : 'bad-frame');
      return;
    }
    this.framer.push(data, (frame) => this.emit('audio', frame, this.framesIn++ * 20));
  }

  /** A control message from the browser (already validated against the contract). */
  receiveControl(message: { type: 'dtmf'; digit: string } | { type: 'mark'; name: string } | { type: 'played'; ms: number }): void {
    if (this.done) return;
    if (message.type === 'dtmf') this.emit('dtmf', message.digit);
    else if (message.type === 'played') this.tracker.report(message.ms);
    else this.markPlayed(message.name);
  }

  /** The socket closed or the session ended: the caller is gone. */
  socketClosed(reason: string, source: HangupSource = 'caller'): void {
    if (this.done) return;
    this.finish();
    this.emit('ended', reason, source);
  }

  sendAudio(payload: Uint8Array): void {
    if (this.done || this.socket.readyState !== this.socket.OPEN) return;
    // Copies: ws may hold the buffer until the socket drains, and the caller may reuse `payload`.
    for (let at = 0; at < payload.length; at += BROWSER_FRAME_BYTES) {
      this.socket.send(Buffer.from(payload.subarray(at, Math.min(at + BROWSER_FRAME_BYTES, payload.length))), { binary: true });
    }
    this.tracker.queued((payload.length / 2 / 16000) * 1000);
  }

  mark(name: string): void {
    if (this.done) return;
    this.tracker.markSent(name);
    this.send({ type: 'mark', name });
    const { sentMs, playedMs } = this.tracker.snapshot();
    const timer = setTimeout(() => this.markPlayed(name), sentMs - playedMs + MARK_GRACE_MS);
    timer.unref();
    this.markTimers.get(name)?.close();
    this.markTimers.set(name, timer);
  }

  clear(): number {
    if (this.done) return 0;
    this.send({ type: 'clear' });
    const { droppedMs, pendingMarks } = this.tracker.clear();
    for (const name of pendingMarks) this.markPlayed(name, true);
    return droppedMs;
  }

  playback(): { sentMs: number; playedMs: number } {
    return this.tracker.snapshot();
  }

  async hangup(reason: string): Promise<void> {
    if (this.done) return;
    this.finish();
    await this.options.onHangup(reason);
  }

  async transfer(): Promise<void> {
    throw new Error('a browser call cannot be transferred');
  }

  close(): void {
    this.finish();
  }

  private markPlayed(name: string, cleared = false): void {
    clearTimeout(this.markTimers.get(name));
    this.markTimers.delete(name);
    if (cleared || this.tracker.echoed(name) === 'played') this.emit('mark', name);
  }

  private send(message: SessionServerMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private finish(): void {
    this.done = true;
    for (const timer of this.markTimers.values()) clearTimeout(timer);
    this.markTimers.clear();
  }
}
