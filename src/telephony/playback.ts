/**
 * Playback accounting for agent audio sent to a leg that plays it in real time and echoes marks (Telnyx, the
 * browser). Between echoes the position is modelled by the clock (playback runs in real time from when audio
 * arrives); an echoed mark or a client's progress report is a fact and wins when ahead.
 * `sentMs` = audio queued minus what `clear` dropped; `playedMs` <= `sentMs`; equal right after `clear()`.
 */
export type EchoKind = 'played' | 'cleared' | 'unknown';

export class PlaybackLedger {
  private sent = 0;
  private reported = 0;
  /** Start (clock ms) and starting position of the current uninterrupted run of playback. */
  private runStartAt = 0;
  private runBase = 0;
  /** Pending marks → the position they stand for. */
  private readonly marks = new Map<string, number>();
  /** Marks reported at a `clear` whose echo the carrier still sends; their echo is not news. */
  private readonly cleared = new Set<string>();

  /** `model: false` trusts only marks and reports (for legs that buffer unpredictably). */
  constructor(private readonly clock: () => number = () => performance.now(), private readonly model = true) {}

  /** `ms` of audio were handed to the carrier now. */
  queued(ms: number): void {
    const now = this.clock();
    if (this.played(now) >= this.sent) {
      this.runStartAt = now;
      this.runBase = this.sent;
    }
    this.sent += ms;
  }

  /** A mark was sent right after everything queued so far. */
  markSent(name: string): void {
    this.cleared.delete(name);
    this.marks.set(name, this.sent);
  }

  /** The carrier echoed a mark: one pending (`played`), one already reported at a clear, or one never sent. */
  echoed(name: string): EchoKind {
    const at = this.marks.get(name);
    if (at === undefined) return this.cleared.delete(name) ? 'cleared' : 'unknown';
    this.marks.delete(name);
    this.report(at);
    return 'played';
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

  /** Barge-in: drops what was not heard; returns the ms dropped and the marks that were still pending. */
  clear(): { droppedMs: number; pendingMarks: string[] } {
    const played = this.played();
    const droppedMs = this.sent - played;
    this.sent = this.reported = this.runBase = played;
    const pendingMarks = [...this.marks.keys()];
    this.marks.clear();
    if (this.cleared.size > 1000) this.cleared.clear();
    for (const n of pendingMarks) this.cleared.add(n);
    return { droppedMs, pendingMarks };
  }
}
