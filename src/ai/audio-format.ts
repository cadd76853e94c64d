/**
 * Audio formats at the provider edge: durations, and one streaming converter per stream and direction
 * (decode G.711 → resample → encode) built on the media core. Same format in and out passes through untouched.
 */
import {
  Resampler,
  alawToMulaw,
  alawToPcm16,
  int16ToPcm16le,
  mulawToAlaw,
  mulawToPcm16,
  pcm16ToAlaw,
  pcm16ToMulaw,
  pcm16leToInt16,
} from '../media/index.js';
import type { AudioFormat } from './session.js';

export const MULAW_8K: AudioFormat = { encoding: 'mulaw', sampleRate: 8000 };
export const PCM16_16K: AudioFormat = { encoding: 'pcm16', sampleRate: 16000 };
export const PCM16_24K: AudioFormat = { encoding: 'pcm16', sampleRate: 24000 };

export function bytesPerSample(format: AudioFormat): number {
  return format.encoding === 'pcm16' ? 2 : 1;
}

/** Duration in ms of `bytes` bytes of audio. */
export function audioMs(bytes: number, format: AudioFormat): number {
  return (bytes * 1000) / (format.sampleRate * bytesPerSample(format));
}

/** Bytes of `ms` milliseconds of audio (whole samples). */
export function audioBytes(ms: number, format: AudioFormat): number {
  return Math.round((ms * format.sampleRate) / 1000) * bytesPerSample(format);
}

export function sameFormat(a: AudioFormat, b: AudioFormat): boolean {
  return a.encoding === b.encoding && a.sampleRate === b.sampleRate;
}

export function describeFormat(format: AudioFormat): string {
  return `${format.encoding}/${format.sampleRate}`;
}

/**
 * Streaming format conversion for one stream. `convert` returns a fresh array (it is handed to listeners), or
 * the chunk itself when nothing needs converting. PCM16 chunks of odd length keep their last byte for the next.
 */
export class AudioConverter {
  readonly from: AudioFormat;
  readonly to: AudioFormat;
  private readonly resampler: Resampler | undefined;
  private oddByte = -1;
  private decoded = new Int16Array(0);
  private resampled = new Int16Array(0);

  constructor(from: AudioFormat, to: AudioFormat) {
    this.from = from;
    this.to = to;
    this.resampler = from.sampleRate === to.sampleRate ? undefined : new Resampler(from.sampleRate, to.sampleRate);
  }

  get passthrough(): boolean {
    return sameFormat(this.from, this.to);
  }

  convert(chunk: Uint8Array): Uint8Array {
    if (this.passthrough) return chunk;
    if (!this.resampler) {
      if (this.from.encoding === 'mulaw' && this.to.encoding === 'alaw') return mulawToAlaw(chunk);
      if (this.from.encoding === 'alaw' && this.to.encoding === 'mulaw') return alawToMulaw(chunk);
    }
    return this.encode(this.toSamples(chunk));
  }

  /** Decoded and resampled PCM16 of a chunk, in the target rate: a view valid until the next call. */
  toSamples(chunk: Uint8Array): Int16Array {
    const samples = this.decode(chunk);
    if (!this.resampler) return samples;
    const length = this.resampler.outputLength(samples.length);
    if (this.resampled.length < length) this.resampled = new Int16Array(length * 2);
    return this.resampler.process(samples, this.resampled);
  }

  /** Forget filter history and carried bytes (after a barge-in, a new response starts clean). */
  reset(): void {
    this.resampler?.reset();
    this.oddByte = -1;
  }

  private decode(chunk: Uint8Array): Int16Array {
    if (this.decoded.length < chunk.length) this.decoded = new Int16Array(chunk.length);
    if (this.from.encoding === 'mulaw') return mulawToPcm16(chunk, this.decoded);
    if (this.from.encoding === 'alaw') return alawToPcm16(chunk, this.decoded);
    let bytes = chunk;
    if (this.oddByte >= 0) {
      bytes = new Uint8Array(chunk.length + 1);
      bytes[0] = this.oddByte;
      bytes.set(chunk, 1);
      this.oddByte = -1;
    }
    if ((bytes.length & 1) === 1) {
      this.oddByte = bytes[bytes.length - 1]!;
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    return pcm16leToInt16(bytes, this.decoded);
  }

  private encode(samples: Int16Array): Uint8Array {
    if (this.to.encoding === 'mulaw') return pcm16ToMulaw(samples);
    if (this.to.encoding === 'alaw') return pcm16ToAlaw(samples);
    return int16ToPcm16le(samples);
  }
}

/** Decodes any format to PCM16 samples (fresh array). */
export function toPcm16(chunk: Uint8Array, format: AudioFormat): Int16Array {
  if (format.encoding === 'mulaw') return mulawToPcm16(chunk);
  if (format.encoding === 'alaw') return alawToPcm16(chunk);
  return pcm16leToInt16(chunk.length % 2 === 0 ? chunk : chunk.subarray(0, chunk.length - 1));
}
