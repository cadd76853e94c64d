import { describe, expect, it } from 'vitest';
import { mulawToPcm16, pcm16ToAlaw, pcm16ToMulaw } from './g711.js';
import { sine, whiteNoise } from './tone.js';
import { deinterleave, interleave, readWav, wavHeader, writeG711Wav, writeWav } from './wav.js';

function ascii(bytes: Uint8Array, at: number): string {
  return Buffer.from(bytes.subarray(at, at + 4)).toString('latin1');
}

/** Build a RIFF file from raw chunks, to test layouts our writer never produces. */
function riff(chunks: [string, Uint8Array][]): Uint8Array {
  const parts: Buffer[] = [];
  for (const [id, body] of chunks) {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    parts.push(head, Buffer.from(body));
    if (body.length & 1) parts.push(Buffer.alloc(1));
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WAVE', 8, 'latin1');
  return new Uint8Array(Buffer.concat([head, body]));
}

function fmt(tag: number, channels: number, rate: number, bits: number, extra?: Buffer): Uint8Array {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  return new Uint8Array(extra ? Buffer.concat([b, extra]) : b);
}

describe('WAV', () => {
  it('writes the canonical 44-byte PCM16 header', () => {
    const h = Buffer.from(wavHeader(16000, 1, 640));
    expect(h.length).toBe(44);
    expect(ascii(h, 0)).toBe('RIFF');
    expect(h.readUInt32LE(4)).toBe(36 + 640);
    expect(ascii(h, 8)).toBe('WAVE');
    expect(ascii(h, 12)).toBe('fmt ');
    expect(h.readUInt32LE(16)).toBe(16);
    expect(h.readUInt16LE(20)).toBe(1);
    expect(h.readUInt16LE(22)).toBe(1);
    expect(h.readUInt32LE(24)).toBe(16000);
    expect(h.readUInt32LE(28)).toBe(32000);
    expect(h.readUInt16LE(32)).toBe(2);
    expect(h.readUInt16LE(34)).toBe(16);
    expect(ascii(h, 36)).toBe('data');
    expect(h.readUInt32LE(40)).toBe(640);
    // Same length whatever the size, so a streaming writer can rewrite it in place.
    expect(wavHeader(16000, 1, 0).length).toBe(44);
    expect(wavHeader(8000, 2, 12345, 'mulaw').length).toBe(wavHeader(8000, 2, 0, 'mulaw').length);
  });

  it('round-trips mono and stereo PCM16 at any rate', () => {
    for (const [rate, channels] of [
      [8000, 1],
      [16000, 1],
      [24000, 2],
      [44100, 2],
    ] as const) {
      const samples = whiteNoise(rate / 10 * channels, 0.3, rate);
      const wav = readWav(writeWav(samples, rate, channels));
      expect(wav).toEqual({ sampleRate: rate, channels, encoding: 'pcm16', samples });
    }
  });

  it('writes and reads μ-law and A-law WAVs (format 7 and 6)', () => {
    const pcm = sine(440, 8000, 801, 0.5); // odd length: exercises the pad byte
    const mulaw = pcm16ToMulaw(pcm);
    const file = writeG711Wav(mulaw, 'mulaw');
    const h = Buffer.from(file);
    expect(h.readUInt16LE(20)).toBe(7);
    expect(h.readUInt16LE(34)).toBe(8);
    expect(ascii(h, 38)).toBe('fact');
    expect(h.readUInt32LE(46)).toBe(801);
    expect(h.length % 2).toBe(0);
    expect(h.readUInt32LE(4)).toBe(h.length - 8);
    const read = readWav(file);
    expect(read.encoding).toBe('mulaw');
    expect(read.samples).toEqual(mulawToPcm16(mulaw));

    const alaw = readWav(writeG711Wav(pcm16ToAlaw(pcm), 'alaw'));
    expect(alaw.encoding).toBe('alaw');
    for (let i = 0; i < pcm.length; i++) expect(Math.abs(alaw.samples[i]! - pcm[i]!)).toBeLessThanOrEqual(512);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE, skips odd-sized extra chunks, and handles a Buffer at an offset', () => {
    const samples = Int16Array.of(1, -2, 300, -32768, 32767, 0);
    const data = Buffer.alloc(samples.length * 2);
    samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
    const ext = Buffer.alloc(24);
    ext.writeUInt16LE(22, 0); // cbSize
    ext.writeUInt16LE(16, 2); // valid bits
    ext.writeUInt32LE(3, 4); // channel mask
    ext.writeUInt16LE(1, 8); // SubFormat GUID starts with the PCM tag
    const file = riff([
      ['fmt ', fmt(0xfffe, 2, 48000, 16, ext)],
      ['LIST', Uint8Array.of(1, 2, 3)],
      ['data', data],
    ]);
    const pool = Buffer.alloc(file.length + 5);
    Buffer.from(file).copy(pool, 5);
    const wav = readWav(pool.subarray(5));
    expect(wav).toEqual({ sampleRate: 48000, channels: 2, encoding: 'pcm16', samples });
  });

  it('reads a file whose writer never patched the data size', () => {
    const samples = whiteNoise(100, 0.2);
    const file = writeWav(samples, 8000);
    Buffer.from(file.buffer).writeUInt32LE(0, 40);
    expect(readWav(file).samples).toEqual(samples);
    // A truncated file loses only the torn last sample.
    expect(readWav(writeWav(samples, 8000).subarray(0, 44 + 199)).samples).toEqual(samples.subarray(0, 99));
  });

  it('rejects non-WAV and unsupported formats', () => {
    expect(() => readWav(new Uint8Array(10))).toThrow(/RIFF/);
    expect(() => readWav(riff([['fmt ', fmt(3, 1, 8000, 32)], ['data', new Uint8Array(8)]]))).toThrow(/unsupported/);
    expect(() => readWav(riff([['data', new Uint8Array(8)]]))).toThrow(/fmt/);
    expect(() => readWav(riff([['fmt ', fmt(1, 1, 8000, 16)]]))).toThrow(/data/);
  });
});

describe('interleave / deinterleave', () => {
  it('makes L R L R frames, padding the shorter track, and splits them back', () => {
    const stereo = interleave(Int16Array.of(1, 2, 3), Int16Array.of(-1, -2));
    expect(Array.from(stereo)).toEqual([1, -1, 2, -2, 3, 0]);
    const [left, right] = deinterleave(stereo, 2);
    expect(Array.from(left!)).toEqual([1, 2, 3]);
    expect(Array.from(right!)).toEqual([-1, -2, 0]);
    const out = new Int16Array(6);
    expect(interleave(Int16Array.of(1, 2, 3), Int16Array.of(4, 5, 6), out)).toBe(out);
    expect(() => interleave(Int16Array.of(1), Int16Array.of(1), new Int16Array(1))).toThrow(RangeError);
  });

  it('round-trips a dual-channel recording through a WAV file', () => {
    const caller = sine(300, 8000, 800, 0.3);
    const agent = sine(500, 8000, 640, 0.3);
    const wav = readWav(writeWav(interleave(caller, agent), 8000, 2));
    const [l, r] = deinterleave(wav.samples, wav.channels);
    expect(l).toEqual(caller);
    expect(r!.subarray(0, 640)).toEqual(agent);
  });
});
