/** Agent audio for the leg: synthesized speech and keypad tones in the leg's format, cut in 20 ms frames. */
import { generateDtmf, int16ToPcm16le, pcm16ToAlaw, pcm16ToMulaw, resample } from '../../media/index.js';
import type { AudioFormat } from '../session.js';
import { audioBytes } from '../audio-format.js';

/** PCM16 samples at `sampleRate` → the leg's format. */
export function encodeFor(samples: Int16Array, sampleRate: number, format: AudioFormat): Uint8Array {
  const at = sampleRate === format.sampleRate ? samples : resample(samples, sampleRate, format.sampleRate);
  if (format.encoding === 'mulaw') return pcm16ToMulaw(at);
  if (format.encoding === 'alaw') return pcm16ToAlaw(at);
  return int16ToPcm16le(at);
}

/** Cuts audio into frames of `frameMs` (the last may be shorter). */
export function frames(audio: Uint8Array, format: AudioFormat, frameMs = 20): Uint8Array[] {
  const size = audioBytes(frameMs, format);
  const out: Uint8Array[] = [];
  for (let i = 0; i < audio.length; i += size) out.push(audio.subarray(i, i + size));
  return out;
}

/** Keypad tones for `digits` ("w" = a half-second pause), in the leg's format. */
export function dtmfAudio(digits: string, format: AudioFormat): Uint8Array {
  const rate = format.sampleRate;
  const parts: Int16Array[] = [];
  for (const run of digits.split(/(w+)/)) {
    if (!run) continue;
    parts.push(run.startsWith('w') ? new Int16Array(Math.round(rate * 0.5 * run.length)) : generateDtmf(run, { sampleRate: rate }));
  }
  const total = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { total.set(p, at); at += p.length; }
  return encodeFor(total, rate, format);
}
