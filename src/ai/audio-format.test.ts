import { describe, expect, it } from 'vitest';
import { dbfs, int16ToPcm16le, mulawToPcm16, pcm16ToMulaw, pcm16leToInt16, sine } from '../media/index.js';
import { AudioConverter, MULAW_8K, PCM16_16K, PCM16_24K, audioMs } from './audio-format.js';

describe('AudioConverter', () => {
  it('passes the same format through untouched (same array)', () => {
    const frame = new Uint8Array(160).fill(0xff);
    expect(new AudioConverter(MULAW_8K, MULAW_8K).convert(frame)).toBe(frame);
  });

  it('μ-law 8 kHz → 16 kHz PCM → μ-law 8 kHz keeps a tone, frame by frame', () => {
    const up = new AudioConverter(MULAW_8K, PCM16_16K);
    const down = new AudioConverter(PCM16_16K, MULAW_8K);
    const tone = pcm16ToMulaw(sine(440, 8000, 8000, 0.3));
    const out: Uint8Array[] = [];
    for (let i = 0; i < tone.length; i += 160) {
      const wide = up.convert(tone.subarray(i, i + 160));
      expect(wide.length).toBe(640);
      out.push(down.convert(wide));
    }
    const back = mulawToPcm16(Buffer.concat(out));
    expect(back.length).toBe(8000);
    expect(dbfs(back, 800)).toBeGreaterThan(-14);
  });

  it('carries an odd PCM16 byte to the next chunk', () => {
    const converter = new AudioConverter(PCM16_24K, MULAW_8K);
    const bytes = int16ToPcm16le(sine(300, 24000, 2400, 0.3));
    const a = converter.convert(bytes.subarray(0, 1001));
    const b = converter.convert(bytes.subarray(1001));
    expect(a.length + b.length).toBe(800);
    expect(pcm16leToInt16(int16ToPcm16le(new Int16Array([1, -2])))).toEqual(new Int16Array([1, -2]));
  });

  it('measures durations', () => {
    expect(audioMs(160, MULAW_8K)).toBe(20);
    expect(audioMs(960, PCM16_24K)).toBe(20);
  });
});
