import { describe, expect, it } from 'vitest';
import { float32ToInt16, int16ToFloat32, int16ToPcm16be, int16ToPcm16le, pcm16beToInt16, pcm16leToInt16 } from './pcm.js';

const samples = Int16Array.of(0, 1, -1, 32767, -32768, 0x1234, -0x1234);

describe('PCM16 byte order', () => {
  it('matches Buffer little-endian reads and writes', () => {
    const le = int16ToPcm16le(samples);
    const reference = Buffer.alloc(samples.length * 2);
    samples.forEach((s, i) => reference.writeInt16LE(s, i * 2));
    expect(Buffer.from(le).equals(reference)).toBe(true);
    expect(Array.from(pcm16leToInt16(reference))).toEqual(Array.from(samples));
  });

  it('matches Buffer big-endian reads and writes (Telnyx L16)', () => {
    const be = int16ToPcm16be(samples);
    const reference = Buffer.alloc(samples.length * 2);
    samples.forEach((s, i) => reference.writeInt16BE(s, i * 2));
    expect(Buffer.from(be).equals(reference)).toBe(true);
    expect(Array.from(pcm16beToInt16(reference))).toEqual(Array.from(samples));
    expect(Array.from(be.subarray(6, 8))).toEqual([0x7f, 0xff]);
  });

  it('reads from a Buffer at an odd offset inside a larger pool', () => {
    const pool = Buffer.alloc(21);
    Buffer.from(int16ToPcm16le(samples)).copy(pool, 7);
    expect(Array.from(pcm16leToInt16(pool.subarray(7, 7 + samples.length * 2)))).toEqual(Array.from(samples));
  });

  it('round-trips every sample value', () => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const same = (a: Int16Array): boolean => Buffer.from(a.buffer).equals(Buffer.from(all.buffer));
    expect(same(pcm16leToInt16(int16ToPcm16le(all)))).toBe(true);
    expect(same(pcm16beToInt16(int16ToPcm16be(all)))).toBe(true);
  });

  it('rejects an odd byte count and short output buffers', () => {
    expect(() => pcm16leToInt16(new Uint8Array(3))).toThrow(RangeError);
    expect(() => int16ToPcm16be(samples, new Uint8Array(4))).toThrow(RangeError);
  });

  it('reuses caller buffers', () => {
    const out = new Uint8Array(samples.length * 2);
    expect(int16ToPcm16le(samples, out)).toBe(out);
    const back = new Int16Array(samples.length);
    expect(pcm16leToInt16(out, back)).toBe(back);
  });
});

describe('PCM16 ↔ float', () => {
  it('scales by 32768 and clips on the way back', () => {
    const f = int16ToFloat32(Int16Array.of(-32768, 0, 16384));
    expect(Array.from(f)).toEqual([-1, 0, 0.5]);
    expect(Array.from(float32ToInt16(Float32Array.of(-1, 0.5, 1, 2, -2)))).toEqual([-32768, 16384, 32767, 32767, -32768]);
    expect(float32ToInt16(int16ToFloat32(samples))).toEqual(samples);
  });
});
