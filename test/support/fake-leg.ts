import { EventEmitter } from 'node:events';
import type { CarrierLeg, CarrierName, HangupSource, LegAudioFormat, LegEvents } from '../../src/call/leg.js';
import { MULAW_8K } from '../../src/call/leg.js';
import { bytesToMs } from '../../src/call/audio.js';

/**
 * An in-memory carrier leg for tests: the test speaks as the caller (`say`), sees what the agent sent (`sent`),
 * decides when the "carrier" has played audio (`playUpTo`, `playAll`) and so when marks come back.
 */
export class FakeLeg extends EventEmitter implements CarrierLeg {
  readonly sent: Uint8Array[] = [];
  readonly marks: string[] = [];
  readonly clears: number[] = [];
  hungUp: string | null = null;
  transferredTo: string | null = null;
  closed = false;
  /** Make `transfer` fail with this error. */
  transferError: Error | null = null;
  private sentMs = 0;
  private playedMs = 0;
  private pendingMarks: { name: string; atMs: number }[] = [];

  constructor(readonly carrierCallId = `fake-${Math.random().toString(36).slice(2)}`, readonly inputFormat: LegAudioFormat = MULAW_8K,
    readonly outputFormat: LegAudioFormat = inputFormat, readonly carrier: CarrierName = 'twilio') {
    super();
  }

  override on<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this { return super.on(event, listener); }
  override off<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this { return super.off(event, listener); }

  /** The caller sends one frame. */
  say(payload: Uint8Array, atMs: number): void { this.emit('audio', payload, atMs); }
  press(digit: string): void { this.emit('dtmf', digit); }
  /** The caller hangs up. */
  drop(reason = 'caller-hangup', source: HangupSource = 'caller'): void { this.emit('ended', reason, source); }

  /** All agent audio sent so far, concatenated. */
  sentAudio(): Uint8Array { return Buffer.concat(this.sent); }

  /** The carrier has played up to `ms` of agent audio: marks at or before it come back. */
  playUpTo(ms: number): void {
    this.playedMs = Math.min(this.sentMs, Math.max(this.playedMs, ms));
    const due = this.pendingMarks.filter((m) => m.atMs <= this.playedMs);
    this.pendingMarks = this.pendingMarks.filter((m) => m.atMs > this.playedMs);
    for (const m of due) this.emit('mark', m.name);
  }

  playAll(): void { this.playUpTo(this.sentMs); }

  sendAudio(payload: Uint8Array): void {
    this.sent.push(Uint8Array.from(payload));
    this.sentMs += bytesToMs(payload.length, this.outputFormat);
  }

  mark(name: string): void {
    this.marks.push(name);
    this.pendingMarks.push({ name, atMs: this.sentMs });
  }

  clear(): number {
    const dropped = this.sentMs - this.playedMs;
    this.clears.push(dropped);
    this.sentMs = this.playedMs;
    const pending = this.pendingMarks;
    this.pendingMarks = [];
    for (const m of pending) this.emit('mark', m.name); // carriers echo pending marks on clear
    return dropped;
  }

  playback() { return { sentMs: this.sentMs, playedMs: this.playedMs }; }

  async hangup(reason: string): Promise<void> {
    this.hungUp = reason;
    this.emit('ended', reason, 'platform'); // a carrier reports the end of the stream it was told to end
  }

  async transfer(to: string): Promise<void> {
    if (this.transferError) throw this.transferError;
    this.transferredTo = to;
  }

  close(): void { this.closed = true; }
}
