/**
 * One channel of a recording that is not yet on disk: samples at absolute positions from `base` (what was already
 * written) onward. Nothing written at a position reads as silence. Invariant: `buf[length…]` is all zeros.
 */
export class Track {
  /** Absolute sample position of buf[0]. */
  base = 0;
  private buf: Int16Array;
  private length = 0;

  constructor(initialCapacity = 16_000) {
    this.buf = new Int16Array(initialCapacity);
  }

  /** Position just after the last sample written. */
  get end(): number {
    return this.base + this.length;
  }

  /** Writes samples at absolute position `at`; samples before `base` (already on disk) are dropped. */
  writeAt(at: number, samples: Int16Array): void {
    let from = 0;
    if (at < this.base) { from = this.base - at; at = this.base; }
    const n = samples.length - from;
    if (n <= 0) return;
    const offset = at - this.base;
    this.ensure(offset + n);
    this.buf.set(from === 0 ? samples : samples.subarray(from), offset);
    this.length = Math.max(this.length, offset + n);
  }

  /** Forgets everything from absolute position `at` on (audio that will never be played). */
  truncate(at: number): void {
    const keep = Math.max(0, Math.min(this.length, at - this.base));
    this.buf.fill(0, keep, this.length);
    this.length = keep;
  }

  /** Copies `n` samples from `base` into `out` (silence where nothing was written) and advances `base`. */
  take(n: number, out: Int16Array): void {
    const have = Math.min(n, this.length);
    out.set(this.buf.subarray(0, have));
    out.fill(0, have, n);
    if (have > 0) {
      this.buf.copyWithin(0, have, this.length);
      this.buf.fill(0, this.length - have, this.length);
    }
    this.length -= have;
    this.base += n;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.buf.length) return;
    const grown = new Int16Array(Math.max(capacity, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }
}
