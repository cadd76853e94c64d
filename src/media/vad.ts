/**
 * Voice activity: a per-frame detector plus a segmenter that turns per-frame decisions into
 * speech start/stop events. Any detector (this energy VAD, or a WebRTC VAD) plugs into the
 * segmenter through {@link VoiceActivityDetector}.
 */

import { meanSquareToDbfs } from './tone.js';

/** Decides, frame by frame, whether a PCM16 frame contains speech. */
export interface VoiceActivityDetector {
  process(frame: Int16Array): boolean;
  reset?(): void;
}

export interface EnergyVadOptions {
  /** Frames quieter than this (dBFS RMS) are never speech (default −45). */
  minSpeechDbfs?: number;
  /** Speech must be this far above the noise floor (default 10 dB). */
  marginDb?: number;
  /** Noise floor assumed until the window has seen real audio (default −60 dBFS). */
  initialNoiseDbfs?: number;
  /** Frames over which the quietest level is the noise floor (default 100 = 2 s of 20 ms frames). */
  noiseWindowFrames?: number;
}

/**
 * Energy VAD with a minimum-statistics noise floor. Rate-independent (works on 8 and 16 kHz frames
 * alike): it only looks at each frame's RMS after removing its DC offset.
 *
 * The noise floor is the quietest frame level in a sliding window (2 s by default): talkers pause
 * between words far more often than that, so the quietest frame is background noise, while
 * steady loud noise (fans, line hiss) raises the floor within one window and stops counting as
 * speech. The window starts filled with `initialNoiseDbfs` so a caller who speaks at once is heard.
 */
export class EnergyVad implements VoiceActivityDetector {
  private readonly minSpeechDbfs: number;
  private readonly marginDb: number;
  private readonly initialNoiseDbfs: number;
  /** Ring of recent frame levels (dBFS). */
  private readonly levels: Float64Array;
  private next = 0;
  /** Level of the last frame in dBFS, for meters and tuning. */
  lastDbfs = -Infinity;

  constructor(options: EnergyVadOptions = {}) {
    this.minSpeechDbfs = options.minSpeechDbfs ?? -45;
    this.marginDb = options.marginDb ?? 10;
    this.initialNoiseDbfs = options.initialNoiseDbfs ?? -60;
    this.levels = new Float64Array(Math.max(1, options.noiseWindowFrames ?? 100)).fill(this.initialNoiseDbfs);
  }

  /** Current noise floor estimate in dBFS. */
  get noiseFloorDbfs(): number {
    const levels = this.levels;
    let floor = Infinity;
    for (let i = 0; i < levels.length; i++) if (levels[i]! < floor) floor = levels[i]!;
    return floor;
  }

  process(frame: Int16Array): boolean {
    const n = frame.length;
    if (n === 0) return false;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const s = frame[i]!;
      sum += s;
      sumSquares += s * s;
    }
    const mean = sum / n;
    // DC removed; the small floor keeps digital silence finite (about −130 dBFS).
    const level = meanSquareToDbfs(Math.max(sumSquares / n - mean * mean, 1e-4));
    this.lastDbfs = level;
    this.levels[this.next] = level;
    this.next = (this.next + 1) % this.levels.length;
    return level >= this.minSpeechDbfs && level >= this.noiseFloorDbfs + this.marginDb;
  }

  reset(): void {
    this.levels.fill(this.initialNoiseDbfs);
    this.next = 0;
    this.lastDbfs = -Infinity;
  }
}

export interface SpeechEvent {
  type: 'speech_start' | 'speech_stop';
  /** Start: when the first speech frame of the run began. Stop: when the last speech frame ended. ms from stream start. */
  atMs: number;
  /** When the segmenter decided (end of the frame that confirmed it), ms from stream start. */
  detectedAtMs: number;
}

export interface SpeechSegmenterOptions {
  /** Duration of each frame pushed (default 20 ms). */
  frameMs?: number;
  /** Speech needed before a start is declared, ms (default 60): rejects clicks and pops. */
  minSpeechMs?: number;
  /** Non-speech needed before a stop is declared, ms (default 400): bridges pauses between words. */
  hangoverMs?: number;
}

/**
 * Turns per-frame speech decisions into start/stop events with a minimum speech duration and a
 * hangover. Allocates only when an event fires.
 */
export class SpeechSegmenter {
  readonly frameMs: number;
  private readonly startFrames: number;
  private readonly stopFrames: number;
  private frames = 0;
  private speaking = false;
  private speechRun = 0;
  private silenceRun = 0;

  constructor(options: SpeechSegmenterOptions = {}) {
    this.frameMs = options.frameMs ?? 20;
    this.startFrames = Math.max(1, Math.ceil((options.minSpeechMs ?? 60) / this.frameMs));
    this.stopFrames = Math.max(1, Math.ceil((options.hangoverMs ?? 400) / this.frameMs));
  }

  /** True between a speech_start and its speech_stop. */
  get isSpeaking(): boolean {
    return this.speaking;
  }

  /** Stream time in ms at the end of the last frame pushed. */
  get timeMs(): number {
    return this.frames * this.frameMs;
  }

  /** Feed one frame's decision; returns an event when speech starts or stops, else null. */
  push(isSpeech: boolean): SpeechEvent | null {
    this.frames++;
    if (isSpeech) {
      this.speechRun++;
      this.silenceRun = 0;
      if (!this.speaking && this.speechRun >= this.startFrames) {
        this.speaking = true;
        return {
          type: 'speech_start',
          atMs: (this.frames - this.speechRun) * this.frameMs,
          detectedAtMs: this.frames * this.frameMs,
        };
      }
      return null;
    }
    this.speechRun = 0;
    this.silenceRun++;
    if (this.speaking && this.silenceRun >= this.stopFrames) {
      this.speaking = false;
      return {
        type: 'speech_stop',
        atMs: (this.frames - this.silenceRun) * this.frameMs,
        detectedAtMs: this.frames * this.frameMs,
      };
    }
    return null;
  }

  /** Back to silence at time 0 (no event is emitted for speech in progress). */
  reset(): void {
    this.frames = 0;
    this.speaking = false;
    this.speechRun = 0;
    this.silenceRun = 0;
  }
}

/** A detector and a segmenter together: push frames, get speech events. */
export class SpeechDetector {
  readonly vad: VoiceActivityDetector;
  readonly segmenter: SpeechSegmenter;

  constructor(vad: VoiceActivityDetector = new EnergyVad(), options: SpeechSegmenterOptions = {}) {
    this.vad = vad;
    this.segmenter = new SpeechSegmenter(options);
  }

  get isSpeaking(): boolean {
    return this.segmenter.isSpeaking;
  }

  process(frame: Int16Array): SpeechEvent | null {
    return this.segmenter.push(this.vad.process(frame));
  }

  reset(): void {
    this.vad.reset?.();
    this.segmenter.reset();
  }
}
