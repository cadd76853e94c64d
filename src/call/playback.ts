/**
 * Playback accounting for a leg: how much agent audio was queued and how much the caller has heard. Carriers play
 * queued audio in real time, so between reports the position is modelled by the clock; marks echoed back and client
 * progress reports are facts and win when ahead. Legs use one tracker per call (barge-in needs `heard` right).
 */
export class PlaybackTracker {
  private sent = 0;
  private reported = 0;
  /** When the current uninterrupted run of playback started (clock ms), and the position it started at. */
  private runStartAt = 0;
  private runBase = 0;
  private readonly marks = new Map<string, number>();

  /** `model: false` trusts only marks and reports (for carriers that buffer unpredictably). */
  constructor(private readonly clock: () => number = () => performance.now(), private readonly model = true) {}

  /** `ms` of audio were handed to the carrier now. */
  queued(ms: number): void {
    const now = this.clock();
    if (this.played(now) >= this.sent) { this.runStartAt = now; this.runBase = this.sent; }
    this.sent += ms;
  }

  /** Remembers the playback position a mark stands for. */
  markAt(name: string): void {
    this.marks.set(name, this.sent);
  }

  /** The carrier reached a mark; false for a mark we never sent. */
  markPlayed(name: string): boolean {
    const at = this.marks.get(name);
    if (at === undefined) return false;
    this.marks.delete(name);
    this.report(at);
    return true;
  }

  /** A client told us how far it has played. */
  report(playedMs: number): void {
    this.reported = Math.max(this.reported, Math.min(playedMs, this.sent));
  }

  played(now = this.clock()): number {
    const modelled = this.model ? Math.min(this.sent, this.runBase + Math.max(0, now - this.runStartAt)) : 0;
    return Math.max(this.reported, modelled);
  }

  snapshot(): { sentMs: number; playedMs: number } {
    return { sentMs: this.sent, playedMs: this.played() };
  }

  /** Barge-in: drops what was not heard; returns the dropped ms and the marks that were still pending. */
  clear(): { droppedMs: number; pendingMarks: string[] } {
    const played = this.played();
    const droppedMs = this.sent - played;
    this.sent = played;
    this.reported = played;
    this.runBase = played;
    const pendingMarks = [...this.marks.keys()];
    this.marks.clear();
    return { droppedMs, pendingMarks };
  }
}
