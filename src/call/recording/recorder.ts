import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { int16ToPcm16le, interleave, wavHeader } from '../../media/index.js';
import { Track } from './track.js';

export interface RecorderOptions {
  sampleRate: number;
  /** ms clock; the recording's time 0 is when `open` ran. */
  clock?: () => number;
  /** How often buffered audio goes to disk (≤ 1000 so a crash loses at most about a second). 0: only on `flush()`. */
  flushIntervalMs?: number;
  /** Slots younger than this stay in memory so caller frames that arrive a little late still land in place. */
  lagMs?: number;
}

/**
 * A dual-channel WAV (caller left, agent right, PCM16) streamed to disk while the call runs. Both channels share
 * one timeline: caller audio lands at its media timestamp, agent audio at the moment it will be played (after what
 * is still queued), and a side without audio for a slot is silence. Every flush appends the slots that are old
 * enough and rewrites the header, so the file on disk is a valid WAV up to the last flush.
 */
export class DualChannelRecorder {
  private readonly caller = new Track();
  private readonly agent = new Track();
  private readonly clock: () => number;
  private readonly startedAt: number;
  private readonly lagSamples: number;
  private readonly headerBytes: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private written = 0;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private failure: Error | null = null;

  private constructor(private readonly file: FileHandle, readonly path: string, readonly sampleRate: number, options: RecorderOptions) {
    this.clock = options.clock ?? (() => performance.now());
    this.startedAt = this.clock();
    this.lagSamples = this.toSamples(options.lagMs ?? 100);
    this.headerBytes = wavHeader(sampleRate, 2, 0).length;
    const every = Math.min(options.flushIntervalMs ?? 500, 1000);
    if (every > 0) {
      this.timer = setInterval(() => void this.flush().catch(() => {}), every);
      this.timer.unref();
    }
  }

  /** Creates the file (and its folder) with an empty WAV header. */
  static async open(path: string, options: RecorderOptions): Promise<DualChannelRecorder> {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'w');
    const header = wavHeader(options.sampleRate, 2, 0);
    await file.write(header, 0, header.length, 0);
    return new DualChannelRecorder(file, path, options.sampleRate, options);
  }

  /** ms since the recording started: the timeline position of "now". */
  nowMs(): number {
    return this.clock() - this.startedAt;
  }

  /** Caller audio (PCM16 at `sampleRate`) with its media timestamp; never overlaps what the caller already said. */
  writeCaller(samples: Int16Array, atMs?: number): void {
    if (this.closed) return;
    const at = atMs === undefined ? this.caller.end : Math.max(this.caller.end, this.toSamples(atMs));
    this.caller.writeAt(at, samples);
  }

  /** Agent audio as it is handed to the carrier: it plays now, or after what is still queued. */
  writeAgent(samples: Int16Array): void {
    if (this.closed) return;
    this.agent.writeAt(Math.max(this.agent.end, this.nowSamples()), samples);
  }

  /** Barge-in: agent audio queued but not yet played never reaches the caller, so it leaves the recording too. */
  truncateAgent(): void {
    this.agent.truncate(this.nowSamples());
  }

  /** Writes the slots older than the lag and patches the header. */
  flush(): Promise<void> {
    return this.commit(this.nowSamples() - this.lagSamples);
  }

  /** Writes everything heard up to now, patches the header, closes the file. Returns the duration in ms. */
  async close(): Promise<{ durationMs: number; bytes: number }> {
    if (!this.closed) {
      clearInterval(this.timer);
      // Agent audio still queued past "now" was never played: it is not part of the call.
      const end = Math.max(this.nowSamples(), this.caller.end);
      this.agent.truncate(end);
      await this.commit(end);
      this.closed = true;
      await this.writing;
      await this.file.close();
    }
    if (this.failure) throw this.failure;
    return { durationMs: (this.written / this.sampleRate) * 1000, bytes: this.headerBytes + this.written * 4 };
  }

  private commit(upTo: number): Promise<void> {
    if (this.closed) return this.writing;
    const n = Math.max(0, upTo - this.caller.base);
    if (n > 0) {
      const left = new Int16Array(n);
      const right = new Int16Array(n);
      this.caller.take(n, left);
      this.agent.take(n, right);
      const bytes = int16ToPcm16le(interleave(left, right));
      const offset = this.headerBytes + this.written * 4;
      this.written += n;
      const header = wavHeader(this.sampleRate, 2, this.written * 4);
      // Writes are chained: the file grows in order even when flushes overlap.
      this.writing = this.writing.then(async () => {
        await this.file.write(bytes, 0, bytes.length, offset);
        await this.file.write(header, 0, header.length, 0);
      }).catch((err: unknown) => { this.failure ??= err as Error; });
    }
    return this.writing;
  }

  private nowSamples(): number {
    return this.toSamples(this.nowMs());
  }

  private toSamples(ms: number): number {
    return Math.max(0, Math.round((ms * this.sampleRate) / 1000));
  }
}
