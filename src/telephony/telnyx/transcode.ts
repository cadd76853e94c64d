import type { LegAudioFormat } from '../../call/leg.js';
import {
  Resampler,
  alawToMulaw,
  alawToPcm16,
  int16ToPcm16be,
  int16ToPcm16le,
  mulawToAlaw,
  mulawToPcm16,
  pcm16ToAlaw,
  pcm16ToMulaw,
  pcm16beToInt16,
  pcm16leToInt16,
} from '../../media/index.js';
import type { TelnyxMediaFormat } from './media-frames.js';

/**
 * Audio format conversion at the Telnyx edge: what Telnyx streams (PCMU, PCMA, or L16 big-endian at its
 * sample rate) → the leg's declared input format, and the leg's output format → PCMU 8 kHz for Telnyx.
 * Same format in and out is passed through untouched (μ-law end to end). One converter per stream and direction.
 */
export interface WireFormat {
  encoding: 'mulaw' | 'alaw' | 'pcm16le' | 'pcm16be';
  sampleRate: number;
}

export const PCMU_8K: WireFormat = { encoding: 'mulaw', sampleRate: 8000 };

/** Telnyx `media_format` → wire format; undefined for codecs we do not decode (G722, OPUS, AMR-WB). */
export function telnyxWireFormat(format: Pick<TelnyxMediaFormat, 'encoding' | 'sample_rate' | 'channels'>): WireFormat | undefined {
  if (format.channels !== 1) return undefined;
  const encoding = format.encoding.toUpperCase();
  if (encoding === 'PCMU' && format.sample_rate === 8000) return { encoding: 'mulaw', sampleRate: 8000 };
  if (encoding === 'PCMA' && format.sample_rate === 8000) return { encoding: 'alaw', sampleRate: 8000 };
  if (encoding === 'L16' && [8000, 16000, 24000, 48000].includes(format.sample_rate)) {
    return { encoding: 'pcm16be', sampleRate: format.sample_rate };
  }
  return undefined;
}

/** A leg format as bytes on the wire (PCM16 payloads are little-endian inside the platform). */
export function legWireFormat(format: LegAudioFormat): WireFormat {
  return { encoding: format.encoding === 'pcm16' ? 'pcm16le' : format.encoding, sampleRate: format.sampleRate };
}

/** Bytes per ms of audio in this format. */
export function bytesPerMs(format: WireFormat): number {
  return ((format.encoding === 'mulaw' || format.encoding === 'alaw' ? 1 : 2) * format.sampleRate) / 1000;
}

function decode(format: WireFormat, bytes: Uint8Array, out: Int16Array): Int16Array {
  switch (format.encoding) {
    case 'mulaw': return mulawToPcm16(bytes, out);
    case 'alaw': return alawToPcm16(bytes, out);
    case 'pcm16le': return pcm16leToInt16(bytes, out);
    case 'pcm16be': return pcm16beToInt16(bytes, out);
  }
}

function encode(format: WireFormat, samples: Int16Array): Uint8Array {
  switch (format.encoding) {
    case 'mulaw': return pcm16ToMulaw(samples);
    case 'alaw': return pcm16ToAlaw(samples);
    case 'pcm16le': return int16ToPcm16le(samples);
    case 'pcm16be': return int16ToPcm16be(samples);
  }
}

export type Converter = (input: Uint8Array) => Uint8Array;

/**
 * A stateful converter `from` → `to`. Throws RangeError for a PCM16 payload with an odd byte count.
 * The returned bytes are the caller's to keep (identity returns the input itself).
 */
export function createConverter(from: WireFormat, to: WireFormat): Converter {
  if (from.encoding === to.encoding && from.sampleRate === to.sampleRate) return (input) => input;
  if (from.sampleRate === to.sampleRate && from.sampleRate === 8000) {
    if (from.encoding === 'mulaw' && to.encoding === 'alaw') return (input) => mulawToAlaw(input);
    if (from.encoding === 'alaw' && to.encoding === 'mulaw') return (input) => alawToMulaw(input);
  }
  const resampler = from.sampleRate === to.sampleRate ? undefined : new Resampler(from.sampleRate, to.sampleRate);
  const sampleBytes = from.encoding === 'pcm16le' || from.encoding === 'pcm16be' ? 2 : 1;
  let scratch = new Int16Array(1024);
  return (input) => {
    if (input.length % sampleBytes !== 0) throw new RangeError(`PCM16 payload of odd length ${input.length}`);
    const n = input.length / sampleBytes;
    if (scratch.length < n) scratch = new Int16Array(n);
    const samples = decode(from, input, scratch.subarray(0, n));
    return encode(to, resampler === undefined ? samples : resampler.process(samples));
  };
}
