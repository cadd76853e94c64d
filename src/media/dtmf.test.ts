import { describe, expect, it } from 'vitest';
import {
  DtmfDetector,
  decodeTelephoneEvent,
  dtmfDigitToEvent,
  dtmfEventToDigit,
  dtmfFrequencies,
  encodeTelephoneEvent,
  generateDtmf,
  isDtmfDigit,
  type DtmfDetectorOptions,
} from './dtmf.js';
import { mulawToPcm16, pcm16ToMulaw } from './g711.js';
import { chirp, goertzelPower, mix, sine, whiteNoise } from './tone.js';

const ALL = '0123456789*#ABCD';

function detect(signal: Int16Array, options?: DtmfDetectorOptions, chunk = 160): { digits: string; atMs: number[] } {
  const detector = new DtmfDetector(options);
  let digits = '';
  const atMs: number[] = [];
  for (let i = 0; i < signal.length; i += chunk) {
    for (const hit of detector.process(signal.subarray(i, i + chunk))) {
      digits += hit.digit;
      atMs.push(hit.atMs);
    }
  }
  return { digits, atMs };
}

/** White noise at `snrDb` below one DTMF tone of peak `amplitude`. */
function noiseFor(length: number, amplitude: number, snrDb: number, seed: number): Int16Array {
  return whiteNoise(length, (amplitude / Math.SQRT2) * 10 ** (-snrDb / 20), seed);
}

describe('RFC 4733 telephone-event payload', () => {
  it('encodes event, E bit, volume and duration in network order', () => {
    const bytes = encodeTelephoneEvent({ event: dtmfDigitToEvent('#'), end: true, volume: 10, duration: 1280 });
    expect(Array.from(bytes)).toEqual([11, 0x8a, 0x05, 0x00]);
    expect(Array.from(encodeTelephoneEvent({ event: 5, end: false, volume: 63, duration: 0xffff }))).toEqual([
      5, 0x3f, 0xff, 0xff,
    ]);
  });

  it('decodes what it encodes, ignores the R bit, and honours offsets', () => {
    const packet = new Uint8Array(16);
    encodeTelephoneEvent({ event: 9, end: false, volume: 7, duration: 800 }, packet, 12);
    expect(decodeTelephoneEvent(packet, 12)).toEqual({ event: 9, end: false, volume: 7, duration: 800 });
    expect(decodeTelephoneEvent(Uint8Array.of(1, 0xc5, 0, 160))).toEqual({ event: 1, end: true, volume: 5, duration: 160 });
  });

  it('rejects out-of-range fields and short payloads', () => {
    expect(() => encodeTelephoneEvent({ event: 256, end: false, volume: 0, duration: 0 })).toThrow(RangeError);
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(RangeError);
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 0, duration: 70000 })).toThrow(RangeError);
    expect(() => decodeTelephoneEvent(Uint8Array.of(1, 2, 3))).toThrow(RangeError);
  });

  it('maps digits to event codes and back', () => {
    expect([...ALL].map((d) => dtmfDigitToEvent(d as never))).toEqual([...Array(16).keys()]);
    expect(dtmfEventToDigit(10)).toBe('*');
    expect(dtmfEventToDigit(16)).toBeUndefined();
    expect(isDtmfDigit('D')).toBe(true);
    expect(isDtmfDigit('E')).toBe(false);
    expect(dtmfFrequencies('5')).toEqual([770, 1336]);
    expect(dtmfFrequencies('D')).toEqual([941, 1633]);
  });
});

describe('DTMF generator', () => {
  it('puts the two keypad tones in each digit', () => {
    const tone = generateDtmf('9', { toneMs: 100, gapMs: 0 });
    expect(tone.length).toBe(800);
    const [low, high] = dtmfFrequencies('9');
    const total = goertzelPower(tone, low, 8000) + goertzelPower(tone, high, 8000);
    expect(goertzelPower(tone, 697, 8000)).toBeLessThan(total / 1000);
    expect(goertzelPower(tone, low, 8000)).toBeGreaterThan(0.45 * total);
    expect(() => generateDtmf('12x')).toThrow(RangeError);
  });
});

describe('DtmfDetector', () => {
  it('detects all 16 digits once each, in order, with start times', () => {
    const { digits, atMs } = detect(generateDtmf(ALL, { toneMs: 60, gapMs: 60 }));
    expect(digits).toBe(ALL);
    atMs.forEach((at, i) => expect(Math.abs(at - i * 120)).toBeLessThanOrEqual(13));
  });

  it.each([20, 10, 6])('detects digits in white noise at %i dB SNR', (snr) => {
    const clean = generateDtmf('159*#0D', { toneMs: 70, gapMs: 60, amplitude: 0.2 });
    const noisy = mix(clean, noiseFor(clean.length, 0.2, snr, snr));
    expect(detect(noisy).digits).toBe('159*#0D');
  });

  it('detects digits after a μ-law round trip, at 16 kHz, and in odd chunk sizes', () => {
    const tones = generateDtmf('2580', { toneMs: 50, gapMs: 50 });
    expect(detect(mulawToPcm16(pcm16ToMulaw(tones))).digits).toBe('2580');
    expect(detect(generateDtmf('2580', { sampleRate: 16000 }), { sampleRate: 16000 }, 320).digits).toBe('2580');
    expect(detect(tones, {}, 37).digits).toBe('2580');
  });

  it('reports a long press once, also across a short dropout', () => {
    expect(detect(generateDtmf('7', { toneMs: 2000 })).digits).toBe('7');
    const press = generateDtmf('7', { toneMs: 600, gapMs: 0 });
    press.fill(0, 2400, 2400 + 80); // 10 ms dropout in the middle
    expect(detect(press).digits).toBe('7');
  });

  it('reports repeated presses of the same digit', () => {
    expect(detect(generateDtmf('1111', { toneMs: 50, gapMs: 50 })).digits).toBe('1111');
  });

  it('accepts ≥ 40 ms tones and rejects 20 ms blips', () => {
    expect(detect(generateDtmf('3690', { toneMs: 40, gapMs: 40 })).digits).toBe('3690');
    expect(detect(generateDtmf('3690', { toneMs: 20, gapMs: 60 })).digits).toBe('');
  });

  it('applies twist limits and the level floor', () => {
    expect(detect(generateDtmf('48', { twistDb: 3 })).digits).toBe('48');
    expect(detect(generateDtmf('48', { twistDb: -7 })).digits).toBe('48');
    expect(detect(generateDtmf('48', { twistDb: 8 })).digits).toBe('');
    expect(detect(generateDtmf('48', { twistDb: -12 })).digits).toBe('');
    expect(detect(generateDtmf('48', { amplitude: 0.005 })).digits).toBe('');
  });

  it('ignores single tones, sweeps, noise and silence', () => {
    for (const hz of [...[697, 770, 852, 941, 1209, 1336, 1477, 1633], 440, 1000]) {
      expect(detect(sine(hz, 8000, 8000, 0.5)).digits).toBe('');
    }
    expect(detect(chirp(300, 3400, 8000, 16000, 0.5)).digits).toBe('');
    expect(detect(whiteNoise(16000, 0.2)).digits).toBe('');
    expect(detect(new Int16Array(8000)).digits).toBe('');
  });

  it('ignores speech-like harmonic sounds, even with harmonics near keypad tones', () => {
    // Pitch f0 with vibrato and a formant envelope; f0 = 100 Hz puts harmonics at 700 and 1200 Hz.
    for (const f0 of [100, 110, 120, 140, 175, 233]) {
      const voice = new Int16Array(16000);
      let phase = 0;
      for (let i = 0; i < voice.length; i++) {
        const f = f0 * (1 + 0.02 * Math.sin((2 * Math.PI * 5 * i) / 8000));
        phase += (2 * Math.PI * f) / 8000;
        let v = 0;
        for (let h = 1; h * f0 < 3800; h++) {
          const fh = h * f0;
          const formants = Math.exp(-((fh - 700) ** 2) / 45000) + 0.6 * Math.exp(-((fh - 1200) ** 2) / 80000) + 0.2;
          v += formants * Math.sin(h * phase);
        }
        voice[i] = Math.round(v * 4000);
      }
      expect(detect(voice).digits).toBe('');
    }
  });

  it('reset() starts over', () => {
    const detector = new DtmfDetector();
    const tone = generateDtmf('5', { toneMs: 100, gapMs: 0 });
    expect(detector.process(tone).map((d) => d.digit)).toEqual(['5']);
    detector.reset();
    expect(detector.process(tone).map((d) => d.digit)).toEqual(['5']);
  });
});
