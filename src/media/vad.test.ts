import { describe, expect, it } from 'vitest';
import { frameSize } from './framer.js';
import { mix, sine, whiteNoise } from './tone.js';
import { EnergyVad, SpeechDetector, SpeechSegmenter, type SpeechEvent, type VoiceActivityDetector } from './vad.js';

/** Voiced-speech stand-in: harmonics of a wobbling pitch, syllable-rate amplitude modulation. */
function speechLike(sampleRate: number, length: number, rmsDbfs = -20): Int16Array {
  const out = new Int16Array(length);
  let phase = 0;
  const values = new Float64Array(length);
  let sumSquares = 0;
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    const f0 = 130 * (1 + 0.1 * Math.sin(2 * Math.PI * 3 * t));
    phase += (2 * Math.PI * f0) / sampleRate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
    v *= 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t); // syllables
    values[i] = v;
    sumSquares += v * v;
  }
  const gain = (32768 * 10 ** (rmsDbfs / 20)) / Math.sqrt(sumSquares / length);
  for (let i = 0; i < length; i++) out[i] = Math.round(values[i]! * gain);
  return out;
}

function runFrames(detector: SpeechDetector, signal: Int16Array, frame: number): SpeechEvent[] {
  const events: SpeechEvent[] = [];
  for (let i = 0; i + frame <= signal.length; i += frame) {
    const event = detector.process(signal.subarray(i, i + frame));
    if (event) events.push(event);
  }
  return events;
}

describe('EnergyVad + SpeechSegmenter', () => {
  it.each([8000, 16000])('finds one utterance in line noise at %i Hz, with timestamps', (rate) => {
    const frame = frameSize(rate);
    const second = rate;
    // 1 s noise, 1.5 s speech, 1.5 s noise (noise at −55 dBFS, speech at −20 dBFS).
    const noise = whiteNoise(4 * second, 10 ** (-55 / 20), 11);
    const speech = new Int16Array(4 * second);
    speech.set(speechLike(rate, 1.5 * second), second);
    const signal = mix(noise, speech);
    const events = runFrames(new SpeechDetector(new EnergyVad(), { hangoverMs: 300 }), signal, frame);
    expect(events.map((e) => e.type)).toEqual(['speech_start', 'speech_stop']);
    const [start, stop] = events as [SpeechEvent, SpeechEvent];
    expect(start.atMs).toBeGreaterThanOrEqual(980);
    expect(start.atMs).toBeLessThanOrEqual(1040);
    expect(start.detectedAtMs).toBeLessThanOrEqual(start.atMs + 80);
    expect(stop.atMs).toBeGreaterThanOrEqual(2400);
    expect(stop.atMs).toBeLessThanOrEqual(2520);
    expect(stop.detectedAtMs - stop.atMs).toBe(300);
  });

  it('ignores a click shorter than the minimum speech time', () => {
    const signal = whiteNoise(8000, 0.001, 2);
    signal.set(sine(1000, 8000, 160, 0.5), 4000);
    expect(runFrames(new SpeechDetector(), signal, 160)).toEqual([]);
  });

  it('learns steady loud noise as the floor instead of calling it speech forever', () => {
    const vad = new EnergyVad({ noiseWindowFrames: 50 });
    const noise = whiteNoise(8000 * 4, 10 ** (-30 / 20), 4);
    const decisions: boolean[] = [];
    for (let i = 0; i < noise.length; i += 160) decisions.push(vad.process(noise.subarray(i, i + 160)));
    expect(decisions.slice(0, 10).every(Boolean)).toBe(true); // before it knows the floor
    expect(decisions.slice(60).some(Boolean)).toBe(false); // after one window
    expect(vad.noiseFloorDbfs).toBeGreaterThan(-32);
    // Speech 20 dB above that noise is still speech.
    const loud = mix(noise.subarray(0, 160), speechLike(8000, 160, -10));
    expect(vad.process(loud)).toBe(true);
  });

  it('treats digital silence as silence and ignores DC offset', () => {
    const vad = new EnergyVad();
    expect(vad.process(new Int16Array(160))).toBe(false);
    expect(vad.process(new Int16Array(160).fill(8000))).toBe(false);
    expect(vad.process(new Int16Array(0))).toBe(false);
  });
});

describe('SpeechSegmenter', () => {
  it('needs minSpeechMs of speech to start and bridges pauses shorter than the hangover', () => {
    const seg = new SpeechSegmenter({ frameMs: 20, minSpeechMs: 60, hangoverMs: 100 });
    const decisions = '0011100110000000111'.split('').map((c) => c === '1');
    const events = decisions.map((d) => seg.push(d)).filter((e): e is SpeechEvent => e !== null);
    expect(events).toEqual([
      { type: 'speech_start', atMs: 40, detectedAtMs: 100 },
      { type: 'speech_stop', atMs: 180, detectedAtMs: 280 },
      { type: 'speech_start', atMs: 320, detectedAtMs: 380 },
    ]);
    expect(seg.isSpeaking).toBe(true);
    expect(seg.timeMs).toBe(380);
    seg.reset();
    expect(seg.isSpeaking).toBe(false);
    expect(seg.timeMs).toBe(0);
  });

  it('accepts any VoiceActivityDetector', () => {
    const alwaysOn: VoiceActivityDetector = { process: () => true };
    const detector = new SpeechDetector(alwaysOn, { minSpeechMs: 20 });
    expect(detector.process(new Int16Array(160))?.type).toBe('speech_start');
    expect(detector.isSpeaking).toBe(true);
    detector.reset();
    expect(detector.isSpeaking).toBe(false);
  });
});
