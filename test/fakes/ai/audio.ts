/** Audio for fakes and tests: agent speech as a tone of a length set by its text, caller utterances, and energy turns. */
import {
  EnergyVad,
  SpeechDetector,
  alawToPcm16,
  int16ToPcm16le,
  mulawToPcm16,
  pcm16Framer,
  pcm16ToAlaw,
  pcm16ToMulaw,
  pcm16leToInt16,
  sine,
  type Framer,
} from '../../../src/media/index.js';

export type Encoding = 'mulaw' | 'alaw' | 'pcm16';

export function decode(bytes: Uint8Array, encoding: Encoding): Int16Array {
  if (encoding === 'mulaw') return mulawToPcm16(bytes);
  if (encoding === 'alaw') return alawToPcm16(bytes);
  return pcm16leToInt16(bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1));
}

export function encode(samples: Int16Array, encoding: Encoding): Uint8Array {
  if (encoding === 'mulaw') return pcm16ToMulaw(samples);
  if (encoding === 'alaw') return pcm16ToAlaw(samples);
  return int16ToPcm16le(samples);
}

/** How long the fake agent talks for a text: `msPerChar` per character (default 10 ms), at least 200 ms. */
export function speechMs(text: string, msPerChar = 10): number {
  return Math.max(200, Math.round(text.length * msPerChar / 20) * 20);
}

/** Agent "speech": a 330 Hz tone of `ms` in the given encoding and rate, cut in chunks of `chunkMs`. */
export function agentAudio(ms: number, encoding: Encoding, sampleRate: number, chunkMs = 100): Uint8Array[] {
  const samples = sine(330, sampleRate, Math.round((ms * sampleRate) / 1000), 0.3);
  const chunks: Uint8Array[] = [];
  const perChunk = Math.round((chunkMs * sampleRate) / 1000);
  for (let i = 0; i < samples.length; i += perChunk) chunks.push(encode(samples.subarray(i, i + perChunk), encoding));
  return chunks;
}

/** A caller utterance: `speechMs` of a 440 Hz tone then `silenceMs` of silence, as 20 ms frames. */
export function callerFrames(format: { encoding: Encoding; sampleRate: number }, speechMsLength = 600, silenceMs = 900): Uint8Array[] {
  const frame = format.sampleRate / 50;
  const frames: Uint8Array[] = [];
  const voiced = sine(440, format.sampleRate, Math.round((speechMsLength * format.sampleRate) / 1000), 0.3);
  for (let i = 0; i + frame <= voiced.length; i += frame) frames.push(encode(voiced.subarray(i, i + frame), format.encoding));
  const quiet = new Int16Array(frame);
  for (let i = 0; i < silenceMs / 20; i++) frames.push(encode(quiet, format.encoding));
  return frames;
}

/** Silence frames (20 ms each). */
export function silenceFrames(format: { encoding: Encoding; sampleRate: number }, ms: number): Uint8Array[] {
  const quiet = new Int16Array(format.sampleRate / 50);
  return Array.from({ length: Math.round(ms / 20) }, () => encode(quiet, format.encoding));
}

export interface EnergyEvent {
  type: 'speech_start' | 'speech_stop';
  atMs: number;
}

/** A fake's server VAD: energy over 20 ms frames, speech after 60 ms, stop after `silenceMs`. Times in ms of audio. */
export class EnergyTurns {
  private readonly framer: Framer<Int16Array>;
  private readonly detector: SpeechDetector;
  private samples = 0;
  readonly sampleRate: number;

  constructor(sampleRate: number, silenceMs: number) {
    this.sampleRate = sampleRate;
    this.framer = pcm16Framer(sampleRate);
    this.detector = new SpeechDetector(new EnergyVad(), { hangoverMs: silenceMs, minSpeechMs: 60 });
  }

  get speaking(): boolean {
    return this.detector.isSpeaking;
  }

  /** ms of audio received. */
  get audioMs(): number {
    return (this.samples * 1000) / this.sampleRate;
  }

  push(samples: Int16Array): EnergyEvent[] {
    const events: EnergyEvent[] = [];
    this.samples += samples.length;
    this.framer.push(samples, (frame) => {
      const event = this.detector.process(frame);
      if (event) events.push({ type: event.type, atMs: event.atMs });
    });
    return events;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
