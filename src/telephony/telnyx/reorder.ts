/**
 * Puts media chunks back in order. In-order chunks pass straight through (no added latency); a chunk that
 * arrives ahead of a gap waits until the gap fills or until `window` chunks are waiting, then the gap is
 * skipped. Chunks older than what was already emitted (late or duplicate) are dropped.
 */
export interface ReorderStats {
  emitted: number;
  late: number;
  duplicates: number;
  /** Chunk numbers never received (skipped gaps). */
  lost: number;
}

export class ReorderBuffer<T> {
  private readonly waiting = new Map<number, T>();
  private next: number;
  readonly stats: ReorderStats = { emitted: 0, late: 0, duplicates: 0, lost: 0 };

  /**
   * @param window most chunks held behind a gap (each 20 ms of audio: 3 → at most 60 ms of added delay)
   * @param first the first chunk number expected; 0 is taken too when it comes first. A stream that starts
   *   higher costs one window of delay at its start (not counted as lost).
   */
  constructor(
    private readonly emit: (item: T, seq: number) => void,
    readonly window = 3,
    first = 1,
  ) {
    this.next = first;
  }

  /** Chunks held behind a gap. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Adds one chunk; returns 'late' or 'duplicate' when it was dropped. */
  push(seq: number, item: T): 'ok' | 'late' | 'duplicate' {
    if (this.stats.emitted === 0 && this.waiting.size === 0 && seq === this.next - 1) this.next = seq;
    if (seq < this.next) {
      this.stats.late++;
      return 'late';
    }
    if (this.waiting.has(seq)) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    if (seq === this.next) {
      this.out(seq, item);
      this.drain();
      return 'ok';
    }
    this.waiting.set(seq, item);
    while (this.waiting.size > this.window) this.skipGap();
    return 'ok';
  }

  /** Emits everything still waiting, in order, skipping gaps (end of stream). */
  flush(): void {
    while (this.waiting.size > 0) this.skipGap();
  }

  private out(seq: number, item: T): void {
    this.stats.emitted++;
    this.next = seq + 1;
    this.emit(item, seq);
  }

  private drain(): void {
    for (let item = this.waiting.get(this.next); item !== undefined; item = this.waiting.get(this.next)) {
      const seq = this.next;
      this.waiting.delete(seq);
      this.out(seq, item);
    }
  }

  private skipGap(): void {
    let lowest = Infinity;
    for (const seq of this.waiting.keys()) if (seq < lowest) lowest = seq;
    if (this.stats.emitted > 0) this.stats.lost += lowest - this.next;
    this.next = lowest;
    this.drain();
  }
}
