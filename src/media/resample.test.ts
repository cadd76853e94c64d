import { describe, expect, it } from 'vitest';
import { Resampler, resample } from './resample.js';
import { chirp, dbfs, goertzelPower, mix, sine, whiteNoise } from './tone.js';

const RATES = [8000, 16000, 24000, 48000];
const PAIRS = RATES.flatMap((from) => RATES.filter((to) => to !== from).map((to) => [from, to] as const));

/** Level of y (skipping filter edges) relative to x, dB. */
function gainDb(x: Int16Array, y: Int16Array, edge: number): number {
  return dbfs(y, edge, y.length - edge) - dbfs(x);
}

describe('Resampler anti-aliasing (24 → 8 kHz)', () => {
  it.each([4200, 4500, 5000, 6000, 7000, 9000, 11000, 11900])('attenuates a %i Hz tone below −40 dB', (hz) => {
    const x = sine(hz, 24000, 24000, 0.5);
    const y = resample(x, 24000, 8000);
    expect(gainDb(x, y, 200)).toBeLessThan(-40);
  });

  it('attenuates a 4.2–11.9 kHz sweep below −40 dB', () => {
    const x = chirp(4200, 11900, 24000, 48000, 0.5);
    const y = resample(x, 24000, 8000);
    expect(gainDb(x, y, 200)).toBeLessThan(-40);
  });

  it('keeps in-band tones within 1 dB', () => {
    for (const hz of [300, 1000, 2000, 3000]) {
      const x = sine(hz, 24000, 24000, 0.5);
      const y = resample(x, 24000, 8000);
      expect(Math.abs(gainDb(x, y, 200))).toBeLessThan(1);
    }
  });

  it('is not decimation by dropping samples (which would alias 5 kHz to 3 kHz)', () => {
    const x = mix(sine(1000, 24000, 24000, 0.3), sine(5000, 24000, 24000, 0.3));
    const y = resample(x, 24000, 8000);
    const alias = goertzelPower(y, 3000, 8000, 200, 7600);
    const wanted = goertzelPower(y, 1000, 8000, 200, 7600);
    expect(10 * Math.log10(alias / wanted)).toBeLessThan(-40);
  });
});

describe('Resampler in every direction between 8, 16, 24 and 48 kHz', () => {
  it.each(PAIRS)('%i → %i Hz keeps 1 kHz within 1 dB and removes images and aliases', (from, to) => {
    const x = sine(1000, from, from, 0.5);
    const y = resample(x, from, to);
    expect(y.length).toBe(to);
    const edge = to / 50;
    expect(Math.abs(gainDb(x, y, edge))).toBeLessThan(1);
    // Up-sampling images sit at k·from ± 1 kHz; down-sampling leaves nothing else in band.
    const power1k = goertzelPower(y, 1000, to, edge, to - 2 * edge);
    for (const image of [from - 1000, from + 1000]) {
      if (image >= to / 2) continue;
      const p = goertzelPower(y, image, to, edge, to - 2 * edge);
      expect(10 * Math.log10(p / power1k)).toBeLessThan(-60);
    }
  });

  it.each(PAIRS)('%i → %i Hz gives the same samples chunked in 20 ms frames as in one shot', (from, to) => {
    const x = mix(chirp(100, from / 2 - 100, from, from / 2, 0.4), whiteNoise(from / 2, 0.05, 3));
    const oneShot = new Resampler(from, to).process(x);
    const chunked = new Resampler(from, to);
    const frame = from / 50;
    const parts: number[] = [];
    const out = new Int16Array(chunked.outputLength(frame) + 1);
    for (let i = 0; i < x.length; i += frame) parts.push(...chunked.process(x.subarray(i, i + frame), out));
    expect(parts.length).toBe(oneShot.length);
    expect(Int16Array.from(parts)).toEqual(oneShot);
  });

  it('gives exactly n·to/from samples per 20 ms frame', () => {
    for (const [from, to] of PAIRS) {
      const r = new Resampler(from, to);
      for (let i = 0; i < 5; i++) expect(r.process(new Int16Array(from / 50)).length).toBe(to / 50);
    }
  });
});

describe('Resampler streaming details', () => {
  it('joins chunks of odd sizes seamlessly', () => {
    const x = mix(sine(700, 8000, 4000, 0.4), whiteNoise(4000, 0.1, 9));
    const oneShot = new Resampler(8000, 24000).process(x);
    const r = new Resampler(8000, 24000);
    const parts: number[] = [];
    let at = 0;
    for (const size of [1, 7, 160, 33, 0, 999, 2]) {
      parts.push(...r.process(x.subarray(at, at + size)));
      at += size;
    }
    parts.push(...r.process(x.subarray(at)));
    expect(Int16Array.from(parts)).toEqual(oneShot);
    // Down-sampling with chunks smaller than the ratio.
    const y = whiteNoise(3001, 0.2, 5);
    const whole = new Resampler(24000, 8000).process(y);
    const down = new Resampler(24000, 8000);
    const pieces: number[] = [];
    for (let i = 0; i < y.length; i++) pieces.push(...down.process(y.subarray(i, i + 1)));
    expect(Int16Array.from(pieces)).toEqual(whole);
  });

  it('reports its delay, and one-shot resample() removes it (output aligned with input)', () => {
    const r = new Resampler(8000, 16000);
    expect(r.delayMs).toBeGreaterThan(0);
    expect(r.delayMs).toBeLessThan(5);
    const x = sine(300, 8000, 800, 0.5);
    const y = resample(x, 8000, 16000);
    for (let i = 100; i < 700; i++) expect(Math.abs(y[2 * i]! - x[i]!)).toBeLessThanOrEqual(2);
  });

  it('flush() emits the delayed tail and reset() forgets history', () => {
    const r = new Resampler(16000, 8000);
    const x = sine(500, 16000, 320, 0.5);
    const head = r.process(x);
    const tail = r.flush();
    expect(head.length + tail.length).toBeGreaterThanOrEqual(160 + r.delay);
    r.reset();
    expect(r.process(x)).toEqual(new Resampler(16000, 8000).process(x));
  });

  it('clips instead of wrapping on overshoot', () => {
    // A full-scale square wave rings past full scale after filtering.
    const square = Int16Array.from({ length: 1600 }, (_, i) => (Math.floor(i / 20) % 2 ? 32767 : -32768));
    const y = resample(square, 8000, 16000);
    let wrapped = 0;
    for (let i = 1; i < y.length; i++) if (Math.abs(y[i]! - y[i - 1]!) > 40000) wrapped++;
    expect(wrapped).toBe(0);
  });

  it('reuses a caller buffer and passes same-rate audio through', () => {
    const r = new Resampler(8000, 16000);
    const out = new Int16Array(400);
    const y = r.process(new Int16Array(160), out);
    expect(y.length).toBe(320);
    expect(y.buffer).toBe(out.buffer);
    expect(() => r.process(new Int16Array(160), new Int16Array(100))).toThrow(RangeError);
    const x = whiteNoise(160, 0.1);
    expect(new Resampler(16000, 16000).process(x)).toEqual(x);
    expect(resample(x, 8000, 8000)).toEqual(x);
  });

  it('rejects invalid rates and options', () => {
    expect(() => new Resampler(0, 8000)).toThrow(RangeError);
    expect(() => new Resampler(8000, 16000.5)).toThrow(RangeError);
    expect(() => new Resampler(8000, 16000, { passband: 0.6 })).toThrow(RangeError);
  });
});
