import { describe, expect, it } from 'vitest';
import { frameSize, g711Framer, pcm16ByteFramer, pcm16Framer, type Framer } from './framer.js';

function collect<T extends Uint8Array | Int16Array>(framer: Framer<T>, chunks: T[]): number[][] {
  const frames: number[][] = [];
  for (const chunk of chunks) framer.push(chunk, (frame) => frames.push(Array.from(frame)));
  return frames;
}

describe('frameSize', () => {
  it('gives 20 ms frame sizes and rejects fractional ones', () => {
    expect(frameSize(8000)).toBe(160);
    expect(frameSize(16000)).toBe(320);
    expect(frameSize(24000)).toBe(480);
    expect(frameSize(48000, 10)).toBe(480);
    expect(() => frameSize(11025, 20)).toThrow(RangeError);
  });
});

describe('Framer', () => {
  it('cuts arbitrary μ-law chunks into 160-byte frames and keeps the remainder', () => {
    const stream = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    const framer = g711Framer();
    const sizes = [1, 159, 161, 0, 320, 100, 200, 59];
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (const size of sizes) {
      chunks.push(stream.subarray(at, at + size));
      at += size;
    }
    const frames = collect(framer, chunks);
    expect(frames.length).toBe(6);
    expect(frames.flat()).toEqual(Array.from(stream.subarray(0, 960)));
    expect(framer.pending).toBe(40);
  });

  it('frames PCM16 at 16 kHz and flushes a padded last frame', () => {
    const framer = pcm16Framer(16000);
    const samples = Int16Array.from({ length: 700 }, (_, i) => i - 350);
    const frames = collect(framer, [samples.subarray(0, 333), samples.subarray(333)]);
    expect(frames.map((f) => f.length)).toEqual([320, 320]);
    expect(frames.flat()).toEqual(Array.from(samples.subarray(0, 640)));
    let last: number[] = [];
    expect(framer.flush((f) => (last = Array.from(f)))).toBe(60);
    expect(last.length).toBe(320);
    expect(last.slice(0, 60)).toEqual(Array.from(samples.subarray(640)));
    expect(last.slice(60).every((v) => v === 0)).toBe(true);
    expect(framer.flush(() => expect.fail('nothing pending'))).toBe(0);
  });

  it('flushes unpadded and μ-law-silence-padded partial frames', () => {
    const framer = g711Framer();
    framer.push(Uint8Array.of(1, 2, 3), () => expect.fail('no whole frame yet'));
    let last: number[] = [];
    framer.flush((f) => (last = Array.from(f)), false);
    expect(last).toEqual([1, 2, 3]);
    framer.push(Uint8Array.of(9), () => {});
    framer.flush((f) => (last = Array.from(f)), true, 0xff);
    expect(last[0]).toBe(9);
    expect(last.slice(1).every((v) => v === 0xff)).toBe(true);
  });

  it('hands out whole frames without copying when nothing is carried', () => {
    const framer = g711Framer();
    const chunk = new Uint8Array(320);
    const seen: Uint8Array[] = [];
    framer.push(chunk, (f) => seen.push(f));
    expect(seen.length).toBe(2);
    expect(seen.every((f) => f.buffer === chunk.buffer)).toBe(true);
  });

  it('keeps PCM16 byte frames whole across odd-sized chunks', () => {
    const framer = pcm16ByteFramer(8000);
    const frames = collect(framer, [new Uint8Array(301), new Uint8Array(19), new Uint8Array(1)]);
    expect(frames.map((f) => f.length)).toEqual([320]);
    expect(framer.pending).toBe(1);
    framer.reset();
    expect(framer.pending).toBe(0);
  });
});
