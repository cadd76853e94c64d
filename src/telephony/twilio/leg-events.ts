import { EventEmitter } from 'node:events';
import type { HangupSource, LegEvents } from '../../call/leg.js';

type Held = { e: 'audio'; p: Uint8Array; at: number } | { e: 'dtmf'; d: string } | { e: 'mark'; n: string }
  | { e: 'ended'; r: string; s: HangupSource };

/**
 * A leg's events, held from `start` until `open()` (bounded; audio copied only while held) and then emitted live.
 * `ended` is emitted at most once and never dropped.
 */
export class LegEventGate {
  private readonly emitter = new EventEmitter();
  private held: Held[] | null = [];
  private ended = false;

  constructor(private readonly maxHeld: number, private readonly onOverflow: () => void) {}

  on<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): void { this.emitter.on(event, listener); }
  off<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): void { this.emitter.off(event, listener); }

  get isOpen(): boolean { return this.held === null; }

  /** Emits what was held, then everything live. */
  open(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const h of held) this.emit(h);
  }

  /** Audio as a view valid only during the call (copied if it has to wait). */
  audio(view: Uint8Array, atMs: number): void {
    if (this.held === null) this.emitter.emit('audio', view, atMs);
    else this.hold({ e: 'audio', p: Uint8Array.from(view), at: atMs });
  }

  dtmf(digit: string): void { this.deliver({ e: 'dtmf', d: digit }); }
  mark(name: string): void { this.deliver({ e: 'mark', n: name }); }

  end(reason: string, source: HangupSource): void {
    if (this.ended) return;
    this.ended = true;
    if (this.held) this.held.push({ e: 'ended', r: reason, s: source });
    else this.emit({ e: 'ended', r: reason, s: source });
  }

  /** No `ended` will be emitted (the owner closed the stream itself). */
  silence(): void {
    this.ended = true;
    if (this.held) this.held = this.held.filter((h) => h.e !== 'ended');
  }

  private deliver(h: Held): void {
    if (this.held === null) this.emit(h);
    else this.hold(h);
  }

  private hold(h: Held): void {
    if (this.held!.length >= this.maxHeld) return this.onOverflow();
    this.held!.push(h);
  }

  private emit(h: Held): void {
    if (h.e === 'audio') this.emitter.emit('audio', h.p, h.at);
    else if (h.e === 'dtmf') this.emitter.emit('dtmf', h.d);
    else if (h.e === 'mark') this.emitter.emit('mark', h.n);
    else this.emitter.emit('ended', h.r, h.s);
  }
}
