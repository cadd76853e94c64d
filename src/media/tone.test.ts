import { describe, expect, it } from 'vitest';
import { chirp, dbfs, goertzelPower, meanSquare, mix, rms, sine, whiteNoise } from './tone.js';

describe('tone helpers', () => {
  it('measures a sine: RMS = peak/√2, full scale ≈ −3 dBFS', () => {
    const s = sine(1000, 8000, 8000, 1);
    expect(rms(s)).toBeCloseTo(32767 / Math.SQRT2, -1);
    expect(dbfs(s)).toBeCloseTo(-3.01, 1);
    expect(dbfs(sine(1000, 8000, 8000, 0.1))).toBeCloseTo(-23.01, 1);
    expect(dbfs(new Int16Array(10))).toBe(-Infinity);
    expect(meanSquare(new Int16Array(0))).toBe(0);
  });

  it('Goertzel power matches the mean square of a tone at its frequency and rejects others', () => {
    const s = sine(1209, 8000, 8000, 0.5);
    expect(goertzelPower(s, 1209, 8000) / meanSquare(s)).toBeCloseTo(1, 2);
    expect(goertzelPower(s, 1336, 8000) / meanSquare(s)).toBeLessThan(1e-4);
    expect(goertzelPower(s, 1209, 8000, 100, 800) / meanSquare(s)).toBeCloseTo(1, 1);
  });

  it('white noise is deterministic per seed and has the asked RMS', () => {
    expect(whiteNoise(100, 0.1, 5)).toEqual(whiteNoise(100, 0.1, 5));
    expect(whiteNoise(100, 0.1, 5)).not.toEqual(whiteNoise(100, 0.1, 6));
    expect(dbfs(whiteNoise(80000, 0.1))).toBeCloseTo(-20, 0);
  });

  it('chirp sweeps its band and mix saturates', () => {
    const c = chirp(500, 3500, 8000, 8000, 0.5);
    expect(goertzelPower(c, 1000, 8000, 1000, 1000)).toBeGreaterThan(goertzelPower(c, 3000, 8000, 1000, 1000) * 100);
    expect(Array.from(mix(Int16Array.of(30000, -30000, 5), Int16Array.of(30000, -30000)))).toEqual([32767, -32768, 5]);
  });
});
