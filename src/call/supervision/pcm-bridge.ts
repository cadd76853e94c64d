import type { LegAudioFormat } from '../leg.js';
import { alawToPcm16, int16ToPcm16le, mulawToPcm16, pcm16leToInt16, pcm16ToAlaw, pcm16ToMulaw, Resampler } from '../../media/index.js';

/** The browser side of supervision sockets: PCM16 little-endian, 16 kHz mono (what the softphone speaks). */
export const BROWSER_RATE = 16000;

/** Leg audio (μ-law/A-law 8 kHz or PCM16) → browser PCM16 16 kHz samples. One per direction per stream (stateful). */
export class LegToBrowser {
  private readonly resampler: Resampler | null;
  constructor(private readonly format: LegAudioFormat) {
    this.resampler = format.sampleRate === BROWSER_RATE ? null : new Resampler(format.sampleRate, BROWSER_RATE);
  }

  convert(payload: Uint8Array): Int16Array {
    const pcm = decode(payload, this.format);
    return this.resampler ? this.resampler.process(pcm) : pcm;
  }
}

/** Browser PCM16 16 kHz bytes → the leg's output format. Stateful (resampler history). */
export class BrowserToLeg {
  private readonly resampler: Resampler | null;
  constructor(private readonly format: LegAudioFormat) {
    this.resampler = format.sampleRate === BROWSER_RATE ? null : new Resampler(BROWSER_RATE, format.sampleRate);
  }

  /** Null for frames of an odd byte length (not PCM16). */
  convert(bytes: Uint8Array): Uint8Array | null {
    if (bytes.length % 2 !== 0) return null;
    const pcm = pcm16leToInt16(bytes);
    const atRate = this.resampler ? this.resampler.process(pcm) : pcm;
    return encode(atRate, this.format);
  }
}

export function decode(payload: Uint8Array, format: LegAudioFormat): Int16Array {
  if (format.encoding === 'mulaw') return mulawToPcm16(payload);
  if (format.encoding === 'alaw') return alawToPcm16(payload);
  return pcm16leToInt16(payload.byteOffset % 2 === 0 ? payload : Uint8Array.from(payload));
}

export function encode(samples: Int16Array, format: LegAudioFormat): Uint8Array {
  if (format.encoding === 'mulaw') return pcm16ToMulaw(samples);
  if (format.encoding === 'alaw') return pcm16ToAlaw(samples);
  return int16ToPcm16le(samples);
}

/** Browser-side bytes of PCM16 samples. */
export function toBytes(samples: Int16Array): Uint8Array {
  return int16ToPcm16le(samples);
}
