/**
 * WAV (RIFF/WAVE) encoding and decoding, in memory. Reads PCM16 (any rate, any channel count) and
 * G.711 μ-law/A-law WAVs (format tags 7/6, decoded to PCM16); writes PCM16 or G.711 (so recordings
 * can stay in the carrier's codec). File and stream I/O live elsewhere: {@link wavHeader} gives a
 * streaming writer a header to write first with a size of 0 and rewrite in place when done.
 */

import { alawToPcm16, mulawToPcm16 } from './g711.js';
import { int16ToPcm16le, pcm16leToInt16 } from './pcm.js';

export type WavEncoding = 'pcm16' | 'mulaw' | 'alaw';

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Encoding of the file; `samples` are always PCM16. */
  encoding: WavEncoding;
  /** PCM16 samples, interleaved when there is more than one channel. */
  samples: Int16Array;
}

const FORMAT_PCM = 1;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

const FORMAT_TAGS: Record<WavEncoding, number> = { pcm16: FORMAT_PCM, mulaw: FORMAT_MULAW, alaw: FORMAT_ALAW };

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** Decode a WAV file held in memory. Throws on anything but PCM16 and G.711 content. */
export function readWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || fourCC(bytes, 0) !== 'RIFF' || fourCC(bytes, 8) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let format: { tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  let data: Uint8Array | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = fourCC(bytes, at);
    const declared = view.getUint32(at + 4, true);
    const bodyStart = at + 8;
    // A writer that died before patching leaves 0 or 0xffffffff: take what is there.
    const size = Math.min(declared, bytes.length - bodyStart);
    if (id === 'fmt ') {
      if (size < 16) throw new Error('WAV fmt chunk too short');
      let tag = view.getUint16(bodyStart, true);
      if (tag === FORMAT_EXTENSIBLE && size >= 40) tag = view.getUint16(bodyStart + 24, true); // SubFormat GUID head
      format = {
        tag,
        channels: view.getUint16(bodyStart + 2, true),
        sampleRate: view.getUint32(bodyStart + 4, true),
        blockAlign: view.getUint16(bodyStart + 12, true),
        bits: view.getUint16(bodyStart + 14, true),
      };
    } else if (id === 'data') {
      const length = declared === 0 || declared === 0xffffffff ? bytes.length - bodyStart : size;
      data = bytes.subarray(bodyStart, bodyStart + length);
      if (format !== undefined) break; // fmt precedes data; trailing chunks (LIST…) don't matter
    }
    at = bodyStart + size + (size & 1); // chunks are padded to even length
  }
  if (format === undefined) throw new Error('WAV has no fmt chunk');
  if (data === undefined) throw new Error('WAV has no data chunk');
  const { tag, channels, sampleRate, bits } = format;
  if (channels < 1 || sampleRate < 1) throw new Error(`WAV has ${channels} channels at ${sampleRate} Hz`);

  let encoding: WavEncoding;
  if (tag === FORMAT_PCM && bits === 16) encoding = 'pcm16';
  else if (tag === FORMAT_MULAW && bits === 8) encoding = 'mulaw';
  else if (tag === FORMAT_ALAW && bits === 8) encoding = 'alaw';
  else throw new Error(`unsupported WAV format ${tag} with ${bits} bits (PCM16, μ-law and A-law only)`);

  const bytesPerFrame = channels * (encoding === 'pcm16' ? 2 : 1);
  const usable = data.subarray(0, data.length - (data.length % bytesPerFrame)); // drop a torn last frame
  const samples =
    encoding === 'pcm16' ? pcm16leToInt16(usable) : encoding === 'mulaw' ? mulawToPcm16(usable) : alawToPcm16(usable);
  return { sampleRate, channels, encoding, samples };
}

/**
 * The header for `dataBytes` of audio: 44 bytes for PCM16, 58 for G.711 (which also carries a
 * `fact` chunk). Its length never depends on `dataBytes`, so a streaming writer can write it with
 * 0, append audio, then rewrite it at offset 0 with the final size. An odd `dataBytes` must be
 * followed by one pad byte in the file (the sizes here already count it).
 */
export function wavHeader(sampleRate: number, channels: number, dataBytes: number, encoding: WavEncoding = 'pcm16'): Uint8Array {
  const g711 = encoding !== 'pcm16';
  const bytesPerSample = g711 ? 1 : 2;
  const fmtSize = g711 ? 18 : 16; // non-PCM formats carry cbSize
  const headerLength = 12 + 8 + fmtSize + (g711 ? 12 : 0) + 8;
  const header = new Uint8Array(headerLength);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < 4; i++) header[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, headerLength - 8 + dataBytes + (dataBytes & 1), true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, FORMAT_TAGS[encoding], true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true); // byte rate
  view.setUint16(32, channels * bytesPerSample, true); // block align
  view.setUint16(34, bytesPerSample * 8, true);
  let at = 36;
  if (g711) {
    view.setUint16(at, 0, true); // cbSize
    at += 2;
    ascii(at, 'fact');
    view.setUint32(at + 4, 4, true);
    view.setUint32(at + 8, Math.floor(dataBytes / channels), true); // samples per channel
    at += 12;
  }
  ascii(at, 'data');
  view.setUint32(at + 4, dataBytes, true);
  return header;
}

/** A complete PCM16 WAV file (samples interleaved when `channels` > 1). */
export function writeWav(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const header = wavHeader(sampleRate, channels, samples.length * 2);
  const file = new Uint8Array(header.length + samples.length * 2);
  file.set(header);
  int16ToPcm16le(samples, file.subarray(header.length));
  return file;
}

/** A complete G.711 WAV file from already-encoded μ-law or A-law bytes (no transcoding). */
export function writeG711Wav(
  bytes: Uint8Array,
  encoding: 'mulaw' | 'alaw',
  sampleRate = 8000,
  channels = 1,
): Uint8Array {
  const header = wavHeader(sampleRate, channels, bytes.length, encoding);
  const file = new Uint8Array(header.length + bytes.length + (bytes.length & 1));
  file.set(header);
  file.set(bytes, header.length);
  return file;
}

/**
 * Two mono tracks → one interleaved stereo track (L R L R …), e.g. caller left and agent right
 * for dual-channel recordings. The shorter track is padded with silence.
 */
export function interleave(left: Int16Array, right: Int16Array, out?: Int16Array): Int16Array {
  const frames = Math.max(left.length, right.length);
  const stereo = out ?? new Int16Array(frames * 2);
  if (stereo.length < frames * 2) throw new RangeError(`output holds ${stereo.length} samples, needs ${frames * 2}`);
  for (let i = 0; i < frames; i++) {
    stereo[2 * i] = i < left.length ? left[i]! : 0;
    stereo[2 * i + 1] = i < right.length ? right[i]! : 0;
  }
  return stereo;
}

/** Interleaved samples → one array per channel. */
export function deinterleave(samples: Int16Array, channels: number): Int16Array[] {
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`bad channel count ${channels}`);
  const frames = Math.floor(samples.length / channels);
  const tracks: Int16Array[] = [];
  for (let c = 0; c < channels; c++) {
    const track = new Int16Array(frames);
    for (let i = 0; i < frames; i++) track[i] = samples[i * channels + c]!;
    tracks.push(track);
  }
  return tracks;
}
