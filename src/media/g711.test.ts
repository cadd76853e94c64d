import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import {
  alawToMulaw,
  alawToPcm16,
  decodeAlawSample,
  decodeMulawSample,
  encodeAlawSample,
  encodeMulawSample,
  mulawToAlaw,
  mulawToPcm16,
  pcm16ToAlaw,
  pcm16ToMulaw,
} from './g711.js';

const { alaw, mulaw } = alawmulaw;

const everyCode = Uint8Array.from({ length: 256 }, (_, i) => i);
const everySample = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);

describe('G.711 μ-law', () => {
  it('decodes the known vectors', () => {
    expect(decodeMulawSample(0xff)).toBe(0);
    expect(decodeMulawSample(0x7f)).toBe(0);
    expect(decodeMulawSample(0x00)).toBe(-32124);
    expect(decodeMulawSample(0x80)).toBe(32124);
    expect(Array.from(mulawToPcm16(Uint8Array.of(0xff, 0x00, 0x80)))).toEqual([0, -32124, 32124]);
  });

  it('decodes all 256 codes like the alawmulaw package', () => {
    expect(Array.from(mulawToPcm16(everyCode))).toEqual(Array.from(mulaw.decode(everyCode)));
  });

  it('encodes all 65536 samples like the alawmulaw package', () => {
    const ours = pcm16ToMulaw(everySample);
    const theirs = mulaw.encode(everySample);
    expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
    // The scalar segment search (which builds the table) agrees too.
    everySample.forEach((s, i) => expect(encodeMulawSample(s)).toBe(ours[i]));
  });

  it('is a fixed point on decoded values (encode ∘ decode = identity, except −0)', () => {
    const roundTrip = pcm16ToMulaw(mulawToPcm16(everyCode));
    for (let code = 0; code < 256; code++) {
      // 0x7f decodes to 0 like 0xff; 0 encodes to 0xff.
      expect(roundTrip[code]).toBe(code === 0x7f ? 0xff : code);
    }
  });
});

describe('G.711 A-law', () => {
  it('decodes the known vectors', () => {
    expect(decodeAlawSample(0xd5)).toBe(8);
    expect(decodeAlawSample(0x55)).toBe(-8);
    expect(decodeAlawSample(0xaa)).toBe(32256);
    expect(decodeAlawSample(0x2a)).toBe(-32256);
  });

  it('decodes all 256 codes like the alawmulaw package', () => {
    expect(Array.from(alawToPcm16(everyCode))).toEqual(Array.from(alaw.decode(everyCode)));
  });

  it('encodes all 65536 samples like the alawmulaw package', () => {
    const ours = pcm16ToAlaw(everySample);
    expect(Buffer.from(ours).equals(Buffer.from(alaw.encode(everySample)))).toBe(true);
    everySample.forEach((s, i) => expect(encodeAlawSample(s)).toBe(ours[i]));
  });

  it('is a fixed point on decoded values', () => {
    expect(Array.from(pcm16ToAlaw(alawToPcm16(everyCode)))).toEqual(Array.from(everyCode));
  });
});

describe('G.711 buffers', () => {
  it('writes into a caller buffer without allocating a new one', () => {
    const out = new Int16Array(3);
    expect(mulawToPcm16(Uint8Array.of(0xff, 0x00, 0x80), out)).toBe(out);
    const bytes = new Uint8Array(2);
    expect(pcm16ToMulaw(Int16Array.of(0, -32124), bytes)).toBe(bytes);
    expect(Array.from(bytes)).toEqual([0xff, 0x00]);
  });

  it('returns a view of a longer caller buffer and rejects a short one', () => {
    const out = new Int16Array(8);
    const view = alawToPcm16(Uint8Array.of(0xd5, 0x55), out);
    expect(view.length).toBe(2);
    expect(view.buffer).toBe(out.buffer);
    expect(Array.from(out.subarray(0, 2))).toEqual([8, -8]);
    expect(() => pcm16ToAlaw(new Int16Array(4), new Uint8Array(3))).toThrow(RangeError);
  });

  it('transcodes μ-law ↔ A-law through linear PCM', () => {
    const a = mulawToAlaw(everyCode);
    expect(Array.from(a)).toEqual(Array.from(pcm16ToAlaw(mulawToPcm16(everyCode))));
    const m = alawToMulaw(everyCode);
    expect(Array.from(m)).toEqual(Array.from(pcm16ToMulaw(alawToPcm16(everyCode))));
    // Silence survives both ways.
    expect(mulawToAlaw(Uint8Array.of(0xff))[0]).toBe(0xd5);
  });
});
