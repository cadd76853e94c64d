/**
 * Playback accounting for one outbound μ-law 8 kHz stream (8 bytes per ms), in the terms of `CarrierLeg.playback()`:
 * `sent` = audio queued minus what `clear` dropped; `played` = what the caller heard, the later of
 * - the position of the last mark Twilio echoed (a fact), and
 * - a real-time model (Twilio plays queued audio as it arrives, one chunk after another), unless disabled.
 * After `clear()` sent = played. Marks pending at a clear are reported at once; Twilio's later echoes of them are
 * recognised (`cleared`) and move nothing.
 */
export const MULAW_BYTES_PER_MS = 8;

interface PendingMark {
  name: string;
  at: number;
  internal: boolean;
}

export type EchoResult = 'user' | 'internal' | 'cleared' | 'unknown';

export interface PlaybackOptions {
  clock?: () => number;
  /** Model playback by the clock between echoes (default true); false trusts echoed marks only. */
  clockModel?: boolean;
}

const MAX_AWAITED = 1000;

export class PlaybackTracker {
  private position = 0;
  private confirmed = 0;
  private runStartAt = 0;
  private runBase = 0;
  private unmarked = 0;
  private readonly pending: PendingMark[] = [];
  /** Names of marks pending at a clear, whose echo Twilio still owes us. */
  private readonly awaited: string[] = [];
  private readonly clock: () => number;
  private readonly model: boolean;

  constructor(opts: PlaybackOptions = {}) {
    this.clock = opts.clock ?? (() => performance.now());
    this.model = opts.clockModel ?? true;
  }

  /** Audio handed to the carrier now. */
  sent(bytes: number): void {
    const now = this.clock();
    if (this.playedAt(now) >= this.position) { this.runStartAt = now; this.runBase = this.position; }
    this.position += bytes;
    this.unmarked += bytes;
  }

  /** Bytes sent since the last mark. */
  get unmarkedBytes(): number { return this.unmarked; }

  get pendingMarks(): number { return this.pending.length; }

  /** A mark sent now, after all audio sent so far. */
  marked(name: string, internal: boolean): void {
    this.pending.push({ name, at: this.position, internal });
    this.unmarked = 0;
  }

  /** Twilio echoed a mark. Echoes come in order: earlier pending marks count as echoed too. */
  echoed(name: string): EchoResult {
    const i = this.pending.findIndex((m) => m.name === name);
    if (i < 0) {
      const j = this.awaited.indexOf(name);
      if (j < 0) return 'unknown';
      this.awaited.splice(0, j + 1);
      return 'cleared';
    }
    const mark = this.pending.splice(0, i + 1).pop()!;
    if (mark.at > this.confirmed) this.confirmed = Math.min(mark.at, this.position);
    return mark.internal ? 'internal' : 'user';
  }

  /** The carrier's buffer was emptied: the bytes dropped unheard, and the owner's marks that were pending. */
  clear(): { droppedBytes: number; pendingUserMarks: string[] } {
    const now = this.clock();
    const played = this.playedAt(now);
    const droppedBytes = this.position - played;
    this.position = this.confirmed = this.runBase = played;
    this.runStartAt = now;
    this.unmarked = 0;
    const pendingUserMarks = this.pending.filter((m) => !m.internal).map((m) => m.name);
    for (const m of this.pending) this.awaited.push(m.name);
    if (this.awaited.length > MAX_AWAITED) this.awaited.splice(0, this.awaited.length - MAX_AWAITED);
    this.pending.length = 0;
    return { droppedBytes, pendingUserMarks };
  }

  /** Bytes heard by `now`. */
  playedAt(now = this.clock()): number {
    if (!this.model) return this.confirmed;
    const modelled = Math.min(this.position, this.runBase + Math.floor((now - this.runStartAt) * MULAW_BYTES_PER_MS));
    return Math.max(this.confirmed, modelled);
  }

  snapshot(): { sentMs: number; playedMs: number } {
    return { sentMs: this.position / MULAW_BYTES_PER_MS, playedMs: this.playedAt() / MULAW_BYTES_PER_MS };
  }
}
