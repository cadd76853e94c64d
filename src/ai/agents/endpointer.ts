/**
 * Finds the caller's utterances in 20 ms frames with a voice detector: speech starts after `startMs` of voiced
 * frames (the `prerollMs` before it is kept, so the recognizer hears the first syllable) and ends after
 * `endpointMs` of silence, or at `maxMs`. Time is counted in audio, so tests need no clock.
 */
export interface EndpointerOptions {
  endpointMs?: number;
  startMs?: number;
  prerollMs?: number;
  maxMs?: number;
}

export interface EndpointerEvents {
  /** Speech began; `preroll` holds the frames just before and including the first voiced ones. */
  onStart(preroll: Int16Array[], atMs: number): void;
  /** A frame inside the utterance (after the preroll). */
  onFrame(frame: Int16Array): void;
  onEnd(atMs: number, reason: 'silence' | 'max'): void;
}

export const FRAME_MS = 20;

export class Endpointer {
  private readonly endpointFrames: number;
  private readonly startFrames: number;
  private readonly prerollFrames: number;
  private readonly maxFrames: number;
  private readonly recent: Int16Array[] = [];
  private voicedRun = 0;
  private silentRun = 0;
  private inSpeech = false;
  private length = 0;
  private atMs = 0;

  constructor(private readonly isSpeech: (frame: Int16Array) => boolean, private readonly events: EndpointerEvents, options: EndpointerOptions = {}) {
    this.endpointFrames = Math.round((options.endpointMs ?? 300) / FRAME_MS);
    this.startFrames = Math.max(1, Math.round((options.startMs ?? 60) / FRAME_MS));
    this.prerollFrames = Math.round((options.prerollMs ?? 300) / FRAME_MS);
    this.maxFrames = Math.round((options.maxMs ?? 15_000) / FRAME_MS);
  }

  get speaking(): boolean { return this.inSpeech; }

  /** One 20 ms frame (160 samples at 8 kHz). */
  push(frame: Int16Array): void {
    const voiced = this.isSpeech(frame);
    this.atMs += FRAME_MS;
    if (!this.inSpeech) {
      this.recent.push(frame);
      if (this.recent.length > this.prerollFrames + this.startFrames) this.recent.shift();
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun >= this.startFrames) {
        this.inSpeech = true;
        this.silentRun = 0;
        this.length = this.recent.length;
        const preroll = this.recent.splice(0);
        this.events.onStart(preroll, this.atMs - this.voicedRun * FRAME_MS);
      }
      return;
    }
    this.events.onFrame(frame);
    this.length++;
    this.silentRun = voiced ? 0 : this.silentRun + 1;
    if (this.silentRun >= this.endpointFrames) this.finish('silence');
    else if (this.length >= this.maxFrames) this.finish('max');
  }

  /** Forget the utterance in progress (e.g. speech the agent must not hear). */
  reset(): void {
    this.inSpeech = false;
    this.voicedRun = 0;
    this.silentRun = 0;
    this.recent.length = 0;
  }

  private finish(reason: 'silence' | 'max'): void {
    this.reset();
    this.events.onEnd(this.atMs, reason);
  }
}
