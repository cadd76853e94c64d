// Streaming 8 kHz → 16 kHz upsampler for the recogniser.
// Why private: pocketsphinx's model is 16 kHz only, and the recogniser must not wait on src/media; swap this for the
// shared resampler once src/media has one with the same quality (half-band FIR, stopband ≳ 60 dB).

const HALF_TAPS = 16; // taps per side of the odd-phase filter: 32 taps in all, 2 ms of look-ahead at 8 kHz
const KAISER_BETA = 7;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * Odd-phase coefficients of a Kaiser-windowed half-band low-pass (cut-off 4 kHz at 16 kHz).
 * Why half-band: every second tap of such a filter is zero and the centre tap is ½, so the even output samples are the
 * input samples themselves and only the odd ones need a 32-tap dot product.
 */
function oddPhaseTaps(): Float64Array {
  const taps = new Float64Array(HALF_TAPS);
  const span = 2 * HALF_TAPS; // distance (in input samples) covered by the filter
  const denom = besselI0(KAISER_BETA);
  let sum = 0;
  for (let k = 0; k < HALF_TAPS; k++) {
    const t = k + 0.5; // distance from the interpolated point to input sample n-k (and n+1+k)
    const sinc = Math.sin(Math.PI * t) / (Math.PI * t);
    const r = t / (span / 2);
    const w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
    taps[k] = sinc * w;
    sum += 2 * (taps[k] ?? 0);
  }
  // Normalise the DC gain to exactly 1 so that silence stays silence and levels match the even samples.
  for (let k = 0; k < HALF_TAPS; k++) taps[k] = (taps[k] ?? 0) / sum;
  return taps;
}

const TAPS = oddPhaseTaps();

/**
 * Stateful 2× upsampler: feed 8 kHz frames of any length, get 16 kHz samples back.
 * Output lags input by HALF_TAPS input samples (2 ms); `flush()` returns the tail at the end of the stream.
 */
export class Upsampler2x {
  // The last 2·HALF_TAPS input samples; the newest is at the end.
  private history = new Float64Array(2 * HALF_TAPS);
  // Centres still to skip: the zero history we start with is not audio and must not be emitted.
  private pendingSkip = HALF_TAPS;

  process(input: Int16Array): Int16Array {
    const hist = this.history;
    const n = input.length;
    const buf = new Float64Array(hist.length + n);
    buf.set(hist, 0);
    for (let i = 0; i < n; i++) buf[hist.length + i] = input[i] ?? 0;

    // Each input sample x[c] yields (x[c], y[c+½]); y[c+½] needs x[c-15..c+16], so the newest centre we can emit is
    // buf.length-17 and each call emits exactly n centres (the first at index HALF_TAPS), less the start-up skip.
    const skip = Math.min(this.pendingSkip, n);
    this.pendingSkip -= skip;
    const out = new Int16Array((n - skip) * 2);
    const end = HALF_TAPS + n;
    for (let c = HALF_TAPS + skip, o = 0; c < end; c++, o += 2) {
      let acc = 0;
      for (let k = 0; k < HALF_TAPS; k++) acc += (TAPS[k] ?? 0) * ((buf[c - k] ?? 0) + (buf[c + 1 + k] ?? 0));
      out[o] = clamp16(buf[c] ?? 0);
      out[o + 1] = clamp16(acc);
    }
    this.history = buf.slice(buf.length - hist.length);
    return out;
  }

  /** Push the look-ahead tail out (end of stream); the upsampler starts afresh afterwards. */
  flush(): Int16Array {
    const tail = this.process(new Int16Array(HALF_TAPS));
    this.history.fill(0);
    this.pendingSkip = HALF_TAPS;
    return tail;
  }
}

function clamp16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}
