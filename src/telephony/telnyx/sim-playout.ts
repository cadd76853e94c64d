/**
 * A simulated caller's loudspeaker for the Telnyx simulator: agent audio (PCMU 8 kHz) queues and plays at real
 * time (by elapsed time, so timer jitter does not slow it), or instantly; a mark is echoed when playback reaches
 * it (at once when nothing is queued before it); `clear` drops the queue and echoes its pending marks, as Telnyx.
 */
type Queued = { audio: Uint8Array } | { mark: string };

export class SimPlayout {
  readonly heard: Uint8Array[] = [];
  readonly marks: string[] = [];
  clears = 0;
  private readonly queue: Queued[] = [];
  private readonly ticker: NodeJS.Timeout | undefined;
  /** Bytes of playback time available now (fractions of a tick carry over). */
  private budget = 0;

  constructor(private readonly echo: (name: string) => void, realtime = true) {
    if (!realtime) return;
    let last = performance.now();
    this.ticker = setInterval(() => {
      const now = performance.now();
      this.play((now - last) * 8);
      last = now;
    }, 20);
  }

  audio(bytes: Uint8Array): void {
    this.queue.push({ audio: bytes });
    this.play(this.ticker === undefined ? Infinity : 0);
  }

  mark(name: string): void {
    this.queue.push({ mark: name });
    this.play(this.ticker === undefined ? Infinity : 0);
  }

  clear(): void {
    this.clears++;
    for (const q of this.queue.splice(0)) if ('mark' in q) this.emit(q.mark);
  }

  queuedMs(): number {
    return this.queue.reduce((n, q) => n + ('audio' in q ? q.audio.length / 8 : 0), 0);
  }

  heardAudio(): Uint8Array {
    return Buffer.concat(this.heard);
  }

  stop(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
  }

  private play(bytes: number): void {
    this.budget = Math.min(this.budget + bytes, Number.MAX_SAFE_INTEGER);
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if ('mark' in head) {
        this.queue.shift();
        this.emit(head.mark);
        continue;
      }
      const take = Math.min(Math.floor(this.budget), head.audio.length);
      if (take <= 0) break;
      this.heard.push(head.audio.subarray(0, take));
      this.budget -= take;
      if (take === head.audio.length) this.queue.shift();
      else this.queue[0] = { audio: head.audio.subarray(take) };
    }
    // Time with nothing to play is not banked for later audio.
    if (this.queue.length === 0) this.budget = 0;
  }

  private emit(name: string): void {
    this.marks.push(name);
    this.echo(name);
  }
}
