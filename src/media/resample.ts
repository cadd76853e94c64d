/**
 * Rational-ratio resampling (8, 16, 24, 48 kHz and friends) with a polyphase Kaiser-windowed-sinc FIR.
 *
 * Conceptually: upsample by L (insert L-1 zeros), low-pass below the lower Nyquist, keep every M-th
 * sample. The polyphase form only computes the outputs we keep and skips the zero multiplications,
 * so each output costs `tapsPerPhase` multiply-adds.
 *
 * Filter: passband up to `passband` × (lower rate), stopband from exactly the lower Nyquist with
 * `attenuationDb` rejection, so nothing above the new Nyquist aliases into the band (down-sampling)
 * and no spectral image survives (up-sampling). The total delay is a whole number of output samples
 * ({@link Resampler.delay}) so one-shot conversion can trim it and stay sample-aligned.
 */

export interface ResamplerOptions {
  /** Stopband rejection in dB (default 70). */
  attenuationDb?: number;
  /** Passband edge as a fraction of the lower of the two rates (default 0.4: 3.2 kHz at 8 kHz). */
  passband?: number;
  /** Largest input chunk expected; the work buffer grows on demand if a bigger one arrives. */
  maxInputSamples?: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's beta for a stopband attenuation (Oppenheim & Schafer). */
function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

interface PolyphaseFilter {
  /** Phase p's taps, time-reversed, at [p * tapsPerPhase, (p + 1) * tapsPerPhase). */
  coefficients: Float64Array;
  tapsPerPhase: number;
  /** Filter centre in upsampled samples; a multiple of M so the delay is whole output samples. */
  centre: number;
}

function designPolyphase(
  up: number,
  down: number,
  lowRateOverInputRate: number,
  attenuationDb: number,
  passband: number,
): PolyphaseFilter {
  // Frequencies in cycles per upsampled sample (the upsampled rate is L × the input rate).
  const lowRate = lowRateOverInputRate / up;
  const transition = (0.5 - passband) * lowRate;
  const cutoff = ((passband + 0.5) / 2) * lowRate; // −6 dB point, mid-transition
  // Kaiser's length estimate, then round the half-length up to a multiple of M (whole-sample delay).
  const required = Math.ceil((attenuationDb - 8) / (2.285 * 2 * Math.PI * transition)) + 1;
  const centre = Math.ceil((required - 1) / 2 / down) * down;
  const length = 2 * centre + 1;
  const tapsPerPhase = Math.ceil(length / up);
  const beta = kaiserBeta(attenuationDb);
  const i0Beta = besselI0(beta);

  const prototype = new Float64Array(tapsPerPhase * up);
  for (let j = 0; j < length; j++) {
    const t = j - centre;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const r = t / centre;
    prototype[j] = sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta);
  }

  // Split into phases (taps p, p+L, p+2L, … meet input samples x[base], x[base-1], …), stored
  // reversed so the inner loop walks coefficients and history forward together. Each phase is
  // normalised to unit DC gain, which also restores the factor L lost to zero-stuffing.
  const coefficients = new Float64Array(tapsPerPhase * up);
  for (let p = 0; p < up; p++) {
    let sum = 0;
    for (let k = 0; k < tapsPerPhase; k++) sum += prototype[p + k * up]!;
    for (let k = 0; k < tapsPerPhase; k++) {
      coefficients[p * tapsPerPhase + (tapsPerPhase - 1 - k)] = prototype[p + k * up]! / sum;
    }
  }
  return { coefficients, tapsPerPhase, centre };
}

/**
 * Streaming resampler for PCM16. Keeps the filter history and phase between calls, so feeding
 * 20 ms frames one by one gives exactly the same samples as converting the whole signal at once.
 * One instance per direction per call; not shareable between streams.
 */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output samples by which the signal is delayed (filter group delay). */
  readonly delay: number;
  readonly tapsPerPhase: number;

  private readonly up: number;
  private readonly down: number;
  private readonly coefficients: Float64Array;
  /** Phase after each phase, and how many input samples that step advances. */
  private readonly nextPhase: Int32Array;
  private readonly baseStep: Int32Array;
  /** [history: tapsPerPhase-1 samples][current chunk]. */
  private work: Float64Array;
  private phase = 0;
  /** Index in the current chunk of the newest input sample the next output uses. */
  private base = 0;

  constructor(inputRate: number, outputRate: number, options: ResamplerOptions = {}) {
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new RangeError(`sample rates must be positive integers, got ${inputRate} → ${outputRate}`);
    }
    const attenuationDb = options.attenuationDb ?? 70;
    const passband = options.passband ?? 0.4;
    if (!(passband > 0 && passband < 0.5)) throw new RangeError(`passband must be in (0, 0.5), got ${passband}`);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    const g = gcd(inputRate, outputRate);
    this.up = outputRate / g;
    this.down = inputRate / g;

    if (this.up === 1 && this.down === 1) {
      this.coefficients = new Float64Array([1]);
      this.tapsPerPhase = 1;
      this.delay = 0;
    } else {
      const lowRelativeToInput = Math.min(inputRate, outputRate) / inputRate;
      const filter = designPolyphase(this.up, this.down, lowRelativeToInput, attenuationDb, passband);
      this.coefficients = filter.coefficients;
      this.tapsPerPhase = filter.tapsPerPhase;
      this.delay = filter.centre / this.down;
    }
    this.nextPhase = new Int32Array(this.up);
    this.baseStep = new Int32Array(this.up);
    for (let p = 0; p < this.up; p++) {
      this.nextPhase[p] = (p + this.down) % this.up;
      this.baseStep[p] = Math.floor((p + this.down) / this.up);
    }
    const capacity = options.maxInputSamples ?? Math.ceil(inputRate / 25); // 40 ms
    this.work = new Float64Array(this.tapsPerPhase - 1 + capacity);
  }

  /** Delay in milliseconds (filter latency added to the stream). */
  get delayMs(): number {
    return (this.delay * 1000) / this.outputRate;
  }

  /** Exact number of samples the next `process` call yields for `inputLength` input samples. */
  outputLength(inputLength: number): number {
    // Outputs sit at upsampled positions base·L + phase + k·M, for those before inputLength·L.
    const remaining = inputLength * this.up - (this.base * this.up + this.phase);
    return remaining > 0 ? Math.ceil(remaining / this.down) : 0;
  }

  /**
   * Resample one chunk of any length. With `out` (at least {@link outputLength} long) the call
   * allocates nothing beyond, when `out` is longer, a view of its used part.
   */
  process(input: Int16Array, out?: Int16Array): Int16Array {
    const count = this.outputLength(input.length);
    let output: Int16Array;
    if (out === undefined) output = new Int16Array(count);
    else if (out.length < count) throw new RangeError(`output holds ${out.length} samples, needs ${count}`);
    else output = out.length === count ? out : out.subarray(0, count);

    const n = input.length;
    const taps = this.tapsPerPhase;
    const historyLength = taps - 1;
    if (this.work.length < historyLength + n) {
      const grown = new Float64Array(historyLength + n);
      grown.set(this.work.subarray(0, historyLength));
      this.work = grown;
    }
    const work = this.work;
    for (let i = 0; i < n; i++) work[historyLength + i] = input[i]!;

    const coefficients = this.coefficients;
    const nextPhase = this.nextPhase;
    const baseStep = this.baseStep;
    let phase = this.phase;
    let base = this.base;
    for (let o = 0; o < count; o++) {
      // Newest input x[base] sits at work[base + historyLength]; the window starts taps-1 earlier.
      // Four independent sums: one running sum would stall on floating-point add latency.
      let c = phase * taps;
      let w = base;
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      let acc3 = 0;
      const end4 = c + (taps & ~3);
      while (c < end4) {
        acc0 += coefficients[c]! * work[w]!;
        acc1 += coefficients[c + 1]! * work[w + 1]!;
        acc2 += coefficients[c + 2]! * work[w + 2]!;
        acc3 += coefficients[c + 3]! * work[w + 3]!;
        c += 4;
        w += 4;
      }
      const end = phase * taps + taps;
      while (c < end) acc0 += coefficients[c++]! * work[w++]!;
      const rounded = Math.round(acc0 + acc1 + (acc2 + acc3));
      output[o] = rounded > 32767 ? 32767 : rounded < -32768 ? -32768 : rounded;
      base += baseStep[phase]!;
      phase = nextPhase[phase]!;
    }
    this.phase = phase;
    this.base = base - n;
    // Keep the last taps-1 input samples as history for the next chunk.
    if (historyLength > 0) work.copyWithin(0, n, n + historyLength);
    return output;
  }

  /** Emit the delayed tail (feeds silence through the filter), e.g. at the end of a recording. */
  flush(): Int16Array {
    return this.process(new Int16Array(Math.ceil((this.delay * this.down) / this.up) + 1));
  }

  /** Forget history and phase (e.g. after a `clear` on the stream). */
  reset(): void {
    this.work.fill(0);
    this.phase = 0;
    this.base = 0;
  }
}

/**
 * Resample a whole signal at once, delay removed: output sample i is the input at time
 * i · inputRate / outputRate, and the length is ceil(input.length · outputRate / inputRate).
 */
export function resample(input: Int16Array, inputRate: number, outputRate: number, options?: ResamplerOptions): Int16Array {
  const resampler = new Resampler(inputRate, outputRate, { ...options, maxInputSamples: input.length });
  if (inputRate === outputRate) return input.slice();
  const wanted = Math.ceil((input.length * outputRate) / inputRate);
  const padding = Math.ceil((resampler.delay * inputRate) / outputRate) + 1;
  const padded = new Int16Array(input.length + padding);
  padded.set(input);
  const all = resampler.process(padded);
  return all.slice(resampler.delay, resampler.delay + wanted);
}
