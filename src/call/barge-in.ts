import type { CarrierLeg } from './leg.js';

/**
 * Barge-in accounting for one call. A response is the agent audio played from an idle line until the line is idle
 * again or interrupted; `interrupt` clears the carrier's buffer and says how much of the current response the caller
 * actually heard (what an AI provider needs to truncate its side of the conversation).
 */
export class ResponseTracker {
  /** Leg `sentMs` at which the current response began. */
  private responseStart = 0;

  constructor(private readonly leg: CarrierLeg) {}

  /** Call before handing agent audio to the leg. */
  beforePlay(): void {
    const { sentMs, playedMs } = this.leg.playback();
    if (playedMs >= sentMs) this.responseStart = sentMs;
  }

  /** True while agent audio is queued and not yet heard. */
  get speaking(): boolean {
    const { sentMs, playedMs } = this.leg.playback();
    return playedMs < sentMs;
  }

  /** Clears playback now; returns ms of the current response the caller heard (0 when nothing was playing). */
  interrupt(): { heardMs: number; droppedMs: number } {
    const droppedMs = this.leg.clear();
    const { sentMs, playedMs } = this.leg.playback();
    const heardMs = Math.max(0, Math.round(playedMs - this.responseStart));
    this.responseStart = sentMs;
    return { heardMs, droppedMs: Math.max(0, Math.round(droppedMs)) };
  }
}
