import { describe, expect, it } from 'vitest';
import { Upsampler2x } from './upsample.js';

function sine(freq: number, rate: number, n: number, amp = 10000, phase = 0): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate + phase)));
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('Upsampler2x', () => {
  it('doubles the sample count over a stream (flush included) and keeps the input samples', () => {
    const input = sine(440, 8000, 1000);
    const up = new Upsampler2x();
    const out = concat([up.process(input.subarray(0, 333)), up.process(input.subarray(333)), up.flush()]);
    expect(out.length).toBe(2000);
    for (let i = 0; i < 1000; i++) expect(out[2 * i]).toBe(input[i]);
  });

  it('gives the same output whatever the frame size', () => {
    const input = sine(1000, 8000, 1600);
    const whole = new Upsampler2x();
    const a = concat([whole.process(input), whole.flush()]);
    const framed = new Upsampler2x();
    const parts: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 160) parts.push(framed.process(input.subarray(i, i + 160)));
    parts.push(framed.flush());
    expect(concat(parts)).toEqual(a);
  });

  it.each([300, 1000, 3000, 3400])('interpolates a %d Hz tone to within 0.5 %% of the true 16 kHz tone', (freq) => {
    const up = new Upsampler2x();
    const out = concat([up.process(sine(freq, 8000, 4000)), up.flush()]);
    const ideal = sine(freq, 16000, 8000);
    let err = 0;
    let power = 0;
    for (let i = 200; i < 7800; i++) {
      // skip the edges, where the filter sees the zeros around the burst
      err += ((out[i] ?? 0) - (ideal[i] ?? 0)) ** 2;
      power += (ideal[i] ?? 0) ** 2;
    }
    expect(Math.sqrt(err / power)).toBeLessThan(0.005);
  });

  it('does not create images above 4 kHz (a 3 kHz tone has no 5 kHz mirror)', () => {
    const up = new Upsampler2x();
    const out = up.process(sine(3000, 8000, 8000)).subarray(1000, 15000);
    const power = (f: number): number => {
      let re = 0;
      let im = 0;
      for (let i = 0; i < out.length; i++) {
        re += (out[i] ?? 0) * Math.cos((2 * Math.PI * f * i) / 16000);
        im += (out[i] ?? 0) * Math.sin((2 * Math.PI * f * i) / 16000);
      }
      return re * re + im * im;
    };
    const db = 10 * Math.log10(power(5000) / power(3000));
    expect(db).toBeLessThan(-50);
  });
});
