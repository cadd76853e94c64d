/**
 * Fixed-duration framing with carry-over. Carriers deliver audio in whatever chunk sizes their
 * network stack produced; codecs, VAD and providers want exact 20 ms frames. Push any chunk, get
 * whole frames through a callback, and the remainder waits for the next push.
 *
 * Frames handed to the callback are only valid during the call: they are either a view of the
 * pushed chunk (no copy when nothing is carried over) or the framer's own reusable buffer.
 * Copy (`frame.slice()`) to keep one.
 */

type Samples = Uint8Array | Int16Array;

/** Number of samples (or μ-law/A-law bytes) in one frame of `frameMs` at `sampleRate`. */
export function frameSize(sampleRate: number, frameMs = 20): number {
  const size = (sampleRate * frameMs) / 1000;
  if (!Number.isInteger(size) || size <= 0) {
    throw new RangeError(`${frameMs} ms at ${sampleRate} Hz is not a whole number of samples`);
  }
  return size;
}

export class Framer<T extends Samples> {
  readonly frameSize: number;
  /** Carry-over buffer; also the frame handed out when a frame spans two chunks. */
  private readonly carry: T;
  private carried = 0;

  constructor(frameSize: number, create: (length: number) => T) {
    if (!Number.isInteger(frameSize) || frameSize <= 0) throw new RangeError(`bad frame size ${frameSize}`);
    this.frameSize = frameSize;
    this.carry = create(frameSize);
  }

  /** Samples waiting for the rest of their frame. */
  get pending(): number {
    return this.carried;
  }

  /** Add a chunk; `onFrame` runs once per completed frame, in order. */
  push(chunk: T, onFrame: (frame: T) => void): void {
    const size = this.frameSize;
    const n = chunk.length;
    let offset = 0;
    if (this.carried > 0) {
      const take = Math.min(size - this.carried, n);
      this.copyIn(chunk, 0, take);
      offset = take;
      if (this.carried < size) return;
      this.carried = 0;
      onFrame(this.carry);
    }
    // Whole frames straight out of the chunk, no copy.
    while (n - offset >= size) {
      onFrame(chunk.subarray(offset, offset + size) as T);
      offset += size;
    }
    if (offset < n) this.copyIn(chunk, offset, n - offset);
  }

  /**
   * Hand out the partial frame left at the end of a stream, padded with `padValue` (0 for PCM16,
   * 0xff for μ-law silence) when `pad` is set; returns the number of real samples in it, or 0 and
   * no callback when nothing was pending.
   */
  flush(onFrame: (frame: T) => void, pad = true, padValue = 0): number {
    const real = this.carried;
    if (real === 0) return 0;
    this.carried = 0;
    if (pad) {
      this.carry.fill(padValue, real);
      onFrame(this.carry);
    } else {
      onFrame(this.carry.subarray(0, real) as T);
    }
    return real;
  }

  /** Drop any carried samples (e.g. on a `clear`). */
  reset(): void {
    this.carried = 0;
  }

  private copyIn(chunk: T, from: number, count: number): void {
    const carry = this.carry;
    let at = this.carried;
    // A plain loop: frames are small and this avoids allocating a subarray view for `set`.
    for (let i = from, end = from + count; i < end; i++) carry[at++] = chunk[i]!;
    this.carried = at;
  }
}

/** Frames of μ-law or A-law bytes (one byte per sample), 160 bytes per 20 ms at 8 kHz. */
export function g711Framer(sampleRate = 8000, frameMs = 20): Framer<Uint8Array> {
  return new Framer(frameSize(sampleRate, frameMs), (n) => new Uint8Array(n));
}

/** Frames of PCM16 samples at any rate, e.g. 320 samples per 20 ms at 16 kHz. */
export function pcm16Framer(sampleRate: number, frameMs = 20): Framer<Int16Array> {
  return new Framer(frameSize(sampleRate, frameMs), (n) => new Int16Array(n));
}

/** Frames of raw PCM16 bytes (2 bytes per sample), for wire formats framed before decoding. */
export function pcm16ByteFramer(sampleRate: number, frameMs = 20): Framer<Uint8Array> {
  return new Framer(frameSize(sampleRate, frameMs) * 2, (n) => new Uint8Array(n));
}
