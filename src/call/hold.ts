/**
 * What a caller on hold hears: a generated comfort loop (three soft notes, then quiet; 4 s), made once per leg
 * format, and `HoldAudio`, which keeps about a second of it queued at the carrier while the call is on hold.
 * Pacing follows the leg's own playback accounting (`playback()`), so nothing piles up in the carrier's buffer and
 * `stop()` + the leg's `clear()` silence it at once.
 */
import { sine } from '../media/index.js';
import { bytesPerSample, encodePcm16 } from './audio.js';
import type { CarrierLeg, LegAudioFormat } from './leg.js';

export const HOLD_LOOP_MS = 4000;
/** The loop is handed to the leg in slices of this length (a multiple of the 20 ms frame). */
const SLICE_MS = 100;
const NOTES_HZ = [659.25, 783.99, 1046.5]; // E5, G5, C6: inside the telephone band
const NOTE_MS = 220;
const GAP_MS = 60;
const PEAK = 0.1; // about −23 dBFS RMS: audible, never loud

const loops = new Map<string, Uint8Array>();

/** One loop of hold audio in `format` (cached). */
export function holdLoop(format: LegAudioFormat): Uint8Array {
  const key = `${format.encoding}/${format.sampleRate}`;
  let loop = loops.get(key);
  if (!loop) {
    const rate = format.sampleRate;
    const samples = new Int16Array((rate * HOLD_LOOP_MS) / 1000);
    const noteLength = Math.round((rate * NOTE_MS) / 1000);
    const fade = Math.round(rate * 0.03);
    NOTES_HZ.forEach((hz, i) => {
      const note = sine(hz, rate, noteLength, PEAK);
      // Raised-cosine fades: no clicks at the note edges.
      for (let n = 0; n < fade; n++) {
        const g = 0.5 - 0.5 * Math.cos((Math.PI * n) / fade);
        note[n] = Math.round(note[n]! * g);
        note[noteLength - 1 - n] = Math.round(note[noteLength - 1 - n]! * g);
      }
      samples.set(note, Math.round((rate * i * (NOTE_MS + GAP_MS)) / 1000));
    });
    loop = encodePcm16(samples, format);
    loops.set(key, loop);
  }
  return loop;
}

export interface HoldAudioOptions {
  /** Hold audio kept queued ahead of what the caller has heard (default 1000 ms). */
  leadMs?: number;
  /** How often the queue is topped up (default 200 ms). */
  tickMs?: number;
}

/** Plays the hold loop to one leg through `send` (which also records it) until stopped. */
export class HoldAudio {
  private readonly loop: Uint8Array;
  private readonly sliceBytes: number;
  private offset = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly leadMs: number;

  constructor(private readonly leg: Pick<CarrierLeg, 'outputFormat' | 'playback'>, private readonly send: (payload: Uint8Array) => void, options: HoldAudioOptions = {}) {
    this.loop = holdLoop(leg.outputFormat);
    this.sliceBytes = (leg.outputFormat.sampleRate * SLICE_MS * bytesPerSample(leg.outputFormat)) / 1000;
    this.leadMs = options.leadMs ?? 1000;
    this.tick();
    this.timer = setInterval(() => this.tick(), options.tickMs ?? 200);
    this.timer.unref();
  }

  get playing(): boolean {
    return !this.stopped;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Tops the carrier's queue up to `leadMs` ahead of what was played. */
  tick(): void {
    if (this.stopped) return;
    const { sentMs, playedMs } = this.leg.playback();
    for (let queued = sentMs - playedMs; queued < this.leadMs; queued += SLICE_MS) {
      this.send(this.loop.subarray(this.offset, this.offset + this.sliceBytes));
      this.offset = (this.offset + this.sliceBytes) % this.loop.length;
    }
  }
}
