/**
 * Signal helpers: tone, sweep and noise generation, level measurement (RMS, dBFS) and single-bin
 * Goertzel power. Used by tests and benches, and by product code (prompts, beeps, level meters).
 * dBFS here is RMS relative to a PCM16 full scale of 32768 (a full-scale sine is −3 dBFS).
 */

export const PCM16_FULL_SCALE = 32768;

function clip16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

/**
 * A sine of `frequency` Hz. `amplitude` is the peak as a fraction of full scale (0..1);
 * `phase` in radians lets consecutive calls continue one tone.
 */
export function sine(
  frequency: number,
  sampleRate: number,
  length: number,
  amplitude = 0.5,
  phase = 0,
): Int16Array {
  const out = new Int16Array(length);
  const step = (2 * Math.PI * frequency) / sampleRate;
  const peak = amplitude * PCM16_FULL_SCALE;
  for (let i = 0; i < length; i++) out[i] = clip16(peak * Math.sin(phase + step * i));
  return out;
}

/** A linear frequency sweep from `startHz` to `endHz` over `length` samples. */
export function chirp(startHz: number, endHz: number, sampleRate: number, length: number, amplitude = 0.5): Int16Array {
  const out = new Int16Array(length);
  const peak = amplitude * PCM16_FULL_SCALE;
  const duration = length / sampleRate;
  const rate = (endHz - startHz) / duration;
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    out[i] = clip16(peak * Math.sin(2 * Math.PI * (startHz * t + (rate * t * t) / 2)));
  }
  return out;
}

/**
 * Deterministic white noise (uniform, mulberry32 PRNG) with the given RMS as a fraction of full
 * scale: reproducible across runs, so tests that add noise never flake.
 */
export function whiteNoise(length: number, rmsAmplitude: number, seed = 1): Int16Array {
  const out = new Int16Array(length);
  // A uniform variable on [-a, a] has RMS a/√3.
  const a = rmsAmplitude * Math.sqrt(3) * PCM16_FULL_SCALE;
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = clip16(a * (2 * u - 1));
  }
  return out;
}

/** Sample-wise sum with saturation; the result is as long as the longer input. */
export function mix(a: Int16Array, b: Int16Array, out?: Int16Array): Int16Array {
  const n = Math.max(a.length, b.length);
  const result = out ?? new Int16Array(n);
  if (result.length < n) throw new RangeError(`output holds ${result.length} samples, needs ${n}`);
  for (let i = 0; i < n; i++) {
    const v = (i < a.length ? a[i]! : 0) + (i < b.length ? b[i]! : 0);
    result[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return result;
}

/** Mean square of samples[start, end) in sample units². */
export function meanSquare(samples: Int16Array, start = 0, end = samples.length): number {
  if (end <= start) return 0;
  let sum = 0;
  for (let i = start; i < end; i++) {
    const s = samples[i]!;
    sum += s * s;
  }
  return sum / (end - start);
}

/** RMS of samples[start, end) in sample units. */
export function rms(samples: Int16Array, start = 0, end = samples.length): number {
  return Math.sqrt(meanSquare(samples, start, end));
}

/** Level in dBFS of a mean square in sample units² (−Infinity for digital silence). */
export function meanSquareToDbfs(power: number): number {
  return 10 * Math.log10(power / (PCM16_FULL_SCALE * PCM16_FULL_SCALE));
}

/** RMS level of samples[start, end) in dBFS. */
export function dbfs(samples: Int16Array, start = 0, end = samples.length): number {
  return meanSquareToDbfs(meanSquare(samples, start, end));
}

/**
 * Power at one frequency over samples[start, start+length) by the Goertzel recurrence, scaled so a
 * sine of peak A at that frequency gives about A²/2: directly comparable with {@link meanSquare}.
 */
export function goertzelPower(
  samples: Int16Array,
  frequency: number,
  sampleRate: number,
  start = 0,
  length = samples.length - start,
): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const magnitudeSquared = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * magnitudeSquared) / (length * length);
}
