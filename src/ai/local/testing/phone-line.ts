// Test-only helpers that make synthetic speech sound like a phone line (8 kHz, G.711 μ-law).
// Why private: src/media (codecs, resampler) is being written in parallel; swap these for it once it lands.
// Never imported by product code.

/** G.711 μ-law encode one PCM16 sample (ITU-T reference algorithm). */
export function linearToMulaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** G.711 μ-law decode one byte to PCM16. */
export function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

export function mulawRoundTrip(pcm: Int16Array): Int16Array {
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = mulawToLinear(linearToMulaw(pcm[i] ?? 0));
  return out;
}

/**
 * Band-limited resampling by windowed sinc (any ratio). Slow but exact enough for test fixtures: the low-pass sits at
 * 0.45 × the lower of the two rates, as a telephone channel's anti-alias filter would.
 */
export function resample(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (fromRate === toRate) return pcm.slice();
  const ratio = toRate / fromRate;
  const cutoff = (0.45 * Math.min(fromRate, toRate)) / fromRate; // cycles per input sample
  const halfWidth = Math.ceil(12 / (2 * cutoff)); // ~12 zero crossings each side
  const outLength = Math.floor(pcm.length * ratio);
  const out = new Int16Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const centre = i / ratio;
    const first = Math.max(0, Math.ceil(centre - halfWidth));
    const last = Math.min(pcm.length - 1, Math.floor(centre + halfWidth));
    let acc = 0;
    for (let j = first; j <= last; j++) {
      const t = j - centre;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * t) / (halfWidth + 1)); // Hann
      acc += (pcm[j] ?? 0) * 2 * cutoff * sinc * window;
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(acc)));
  }
  return out;
}

/** What a caller's speech looks like after the carrier: 8 kHz, μ-law round trip. */
export function toPhoneLine(pcm: Int16Array, sampleRate: number): Int16Array {
  return mulawRoundTrip(resample(pcm, sampleRate, 8000));
}

/** Deterministic low-level noise (a seeded LCG), for the "vary noise" part of tests. */
export function addNoise(pcm: Int16Array, amplitude: number, seed = 1): Int16Array {
  let state = seed >>> 0;
  const out = new Int16Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const noise = ((state / 0xffffffff) * 2 - 1) * amplitude;
    out[i] = Math.max(-32768, Math.min(32767, Math.round((pcm[i] ?? 0) + noise)));
  }
  return out;
}

/** Pad with silence on both sides, as a caller's turn would be. */
export function padSilence(pcm: Int16Array, sampleRate: number, beforeMs: number, afterMs: number): Int16Array {
  const before = Math.round((beforeMs * sampleRate) / 1000);
  const after = Math.round((afterMs * sampleRate) / 1000);
  const out = new Int16Array(before + pcm.length + after);
  out.set(pcm, before);
  return out;
}

/** Split a stream into frames of `ms` milliseconds, like a carrier's media stream would deliver it. */
export function* frames(pcm: Int16Array, sampleRate: number, ms = 20): Generator<Int16Array> {
  const size = Math.round((sampleRate * ms) / 1000);
  for (let i = 0; i < pcm.length; i += size) yield pcm.subarray(i, Math.min(pcm.length, i + size));
}

interface Synthesizer {
  synthesize(text: string, options?: { voice?: string; rate?: number }): Promise<{ samples: Int16Array; sampleRate: number }>;
}

/** Synthesise `text` and pass it through the phone line: 8 kHz μ-law PCM16, optional noise, silence around it. */
export async function phoneSpeech(
  tts: Synthesizer,
  text: string,
  voice: string,
  options: { rate?: number; noise?: number; padMs?: number } = {},
): Promise<Int16Array> {
  const speech = await tts.synthesize(text, { voice, ...(options.rate ? { rate: options.rate } : {}) });
  let line = toPhoneLine(speech.samples, speech.sampleRate);
  if (options.noise) line = addNoise(line, options.noise, text.length);
  const pad = options.padMs ?? 300;
  return padSilence(line, 8000, pad, pad + 100);
}
