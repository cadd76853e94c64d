import { int16ToPcm16le, mulawToPcm16, pcm16ToAlaw, pcm16ToMulaw, pcm16leToInt16, alawToPcm16, resample } from '../media/index.js';
import type { LegAudioFormat } from './leg.js';

/** Bytes of one leg format ↔ PCM16 samples at the same rate; resampling is separate. */

export function bytesPerSample(format: LegAudioFormat): number {
  return format.encoding === 'pcm16' ? 2 : 1;
}

/** Duration of `bytes` of audio in ms. */
export function bytesToMs(bytes: number, format: LegAudioFormat): number {
  return (bytes / bytesPerSample(format) / format.sampleRate) * 1000;
}

/** Decodes a stream of frames into a reused buffer: the result is valid until the next `decode`. */
export class Pcm16Decoder {
  private buffer = new Int16Array(640);

  constructor(readonly format: LegAudioFormat) {}

  decode(bytes: Uint8Array): Int16Array {
    const n = Math.floor(bytes.length / bytesPerSample(this.format));
    if (this.buffer.length < n) this.buffer = new Int16Array(n);
    const out = this.buffer.subarray(0, n);
    switch (this.format.encoding) {
      case 'pcm16': return pcm16leToInt16(bytes.subarray(0, n * 2), out);
      case 'mulaw': return mulawToPcm16(bytes, out);
      case 'alaw': return alawToPcm16(bytes, out);
    }
  }
}

export function encodePcm16(samples: Int16Array, format: LegAudioFormat): Uint8Array {
  switch (format.encoding) {
    case 'pcm16': return int16ToPcm16le(samples);
    case 'mulaw': return pcm16ToMulaw(samples);
    case 'alaw': return pcm16ToAlaw(samples);
  }
}

/** One-shot: PCM16 at any rate (a synthesized greeting, a tone) → bytes a leg plays. */
export function toLegAudio(samples: Int16Array, sampleRate: number, format: LegAudioFormat): Uint8Array {
  const atRate = sampleRate === format.sampleRate ? samples : resample(samples, sampleRate, format.sampleRate);
  return encodePcm16(atRate, format);
}

export function sameFormat(a: LegAudioFormat, b: LegAudioFormat): boolean {
  return a.encoding === b.encoding && a.sampleRate === b.sampleRate;
}
