/**
 * The caller's ear in the call simulator: agent audio queued as Twilio queues it, played out in real time 20 ms at
 * a time, marks echoed once the audio before them has played, `clear` dropping the queue and echoing pending marks.
 */
export const MULAW_SILENCE_BYTE = 0xff;

/** A growable byte buffer. */
export class ByteSink {
  private buf = new Uint8Array(8000);
  private len = 0;

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  fill(value: number, count: number): void {
    this.reserve(count);
    this.buf.fill(value, this.len, this.len + count);
    this.len += count;
  }

  get length(): number { return this.len; }

  /** A copy of everything appended. */
  bytes(): Uint8Array { return this.buf.slice(0, this.len); }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

type Item = { audio: Uint8Array } | { mark: string };

export class Playout {
  /** Every agent byte received, in order (including audio later cleared). */
  readonly received = new ByteSink();
  /** What the caller heard, one byte per 1/8 ms since the stream started (silence while nothing played). */
  readonly heard = new ByteSink();
  private readonly queue: Item[] = [];
  private headOffset = 0;
  private queued = 0;

  constructor(private readonly echo: (mark: string) => void) {}

  /** Bytes waiting to be played. */
  get queuedBytes(): number { return this.queued; }

  enqueueAudio(bytes: Uint8Array): void {
    this.received.append(bytes);
    if (bytes.length === 0) return;
    this.queue.push({ audio: bytes });
    this.queued += bytes.length;
  }

  enqueueMark(name: string): void {
    if (this.queue.length === 0) this.echo(name);
    else this.queue.push({ mark: name });
  }

  /** Plays one frame of `bytes` (called every frame period); echoes marks whose audio finished playing. */
  playFrame(bytes: number): void {
    this.echoLeadingMarks();
    let need = bytes;
    while (need > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      if ('mark' in head) { this.queue.shift(); this.echo(head.mark); continue; }
      const take = Math.min(head.audio.length - this.headOffset, need);
      this.heard.append(head.audio.subarray(this.headOffset, this.headOffset + take));
      this.headOffset += take;
      this.queued -= take;
      need -= take;
      if (this.headOffset === head.audio.length) { this.queue.shift(); this.headOffset = 0; }
    }
    if (need > 0) this.heard.fill(MULAW_SILENCE_BYTE, need);
  }

  /** Twilio's `clear`: drops queued audio, echoes pending marks. Returns the bytes dropped. */
  clear(): number {
    const dropped = this.queued;
    const marks = this.queue.filter((i): i is { mark: string } => 'mark' in i).map((i) => i.mark);
    this.queue.length = 0;
    this.headOffset = 0;
    this.queued = 0;
    for (const m of marks) this.echo(m);
    return dropped;
  }

  private echoLeadingMarks(): void {
    while (this.queue.length > 0 && 'mark' in this.queue[0]!) {
      const m = this.queue.shift() as { mark: string };
      this.echo(m.mark);
    }
  }
}
