import type { LegEvents } from '../../call/leg.js';

type Held = { [E in keyof LegEvents]: { event: E; args: Parameters<LegEvents[E]> } }[keyof LegEvents];

/**
 * Typed listeners for a carrier leg. Events are held (bounded) from `start` until `resume()`, so
 * nothing is lost while the owner looks up the call and attaches listeners; then they are delivered in order.
 */
export class LegEmitter {
  private readonly listeners: { [E in keyof LegEvents]: LegEvents[E][] } = { audio: [], dtmf: [], mark: [], ended: [] };
  private held: Held[] | undefined = [];
  private draining = false;

  constructor(
    private readonly maxHeld: number,
    private readonly onOverflow: () => void,
  ) {}

  on<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): void {
    this.listeners[event].push(listener);
  }

  off<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): void {
    const list = this.listeners[event];
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  }

  /** Delivers the held events, then everything live. Idempotent. */
  resume(): void {
    if (this.held === undefined || this.draining) return;
    this.draining = true;
    const held = this.held;
    // Events emitted while delivering join the end of the queue, so order is kept.
    for (let h = held.shift(); h !== undefined; h = held.shift()) this.deliver(h);
    this.held = undefined;
    this.draining = false;
  }

  /** Forgets held events of one kind (e.g. `ended` after the owner closed the leg). */
  dropHeld(event: keyof LegEvents): void {
    if (this.held) this.held = this.held.filter((h) => h.event !== event);
  }

  emit<E extends keyof LegEvents>(event: E, ...args: Parameters<LegEvents[E]>): void {
    if (this.held === undefined) {
      const list = this.listeners[event] as ((...a: Parameters<LegEvents[E]>) => void)[];
      for (const l of list.length === 1 ? list : [...list]) l(...args);
      return;
    }
    if (this.held.length >= this.maxHeld && !this.draining) return this.onOverflow();
    this.held.push({ event, args } as Held);
  }

  private deliver(h: Held): void {
    const list = this.listeners[h.event] as ((...a: unknown[]) => void)[];
    for (const l of [...list]) l(...(h.args as unknown[]));
  }
}
