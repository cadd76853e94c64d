import { afterAll, describe, expect, it } from 'vitest';
import { frames, phoneSpeech } from './testing/phone-line.js';
import { createLocalSynthesizer } from './tts.js';
import { createWebRtcVad } from './vad-webrtc.js';

const tts = createLocalSynthesizer();
afterAll(() => tts.close());

describe('WebRTC VAD', () => {
  it('finds speech in phone audio and none in silence, for 10, 20 and 30 ms frames', async () => {
    const audio = await phoneSpeech(tts, 'i would like to check my order status', 'slt', { padMs: 600 });
    for (const ms of [10, 20, 30]) {
      const vad = await createWebRtcVad({ sampleRate: 8000, mode: 3 });
      const decisions = [...frames(audio, 8000, ms)].filter((f) => f.length === (8000 * ms) / 1000).map((f) => vad.process(f));
      const lead = decisions.slice(0, Math.floor(500 / ms)); // first 0.5 s is silence
      const speech = decisions.slice(Math.ceil(700 / ms), Math.ceil(1500 / ms)); // well inside the phrase
      expect(lead.filter(Boolean).length).toBe(0);
      expect(speech.filter(Boolean).length / speech.length).toBeGreaterThan(0.7);
      vad.close();
    }
  });

  it('works at 16 kHz and is fast', async () => {
    const vad = await createWebRtcVad({ sampleRate: 16000 });
    const frame = Int16Array.from({ length: 320 }, (_, i) => Math.round(8000 * Math.sin(i / 3) * Math.sin(i / 40)));
    const t = performance.now();
    for (let i = 0; i < 1000; i++) vad.process(frame);
    const perFrameMs = (performance.now() - t) / 1000;
    expect(perFrameMs).toBeLessThan(0.5);
    vad.close();
  });

  it('rejects bad frame sizes, rates and modes, and use after close', async () => {
    const vad = await createWebRtcVad({ sampleRate: 8000 });
    expect(() => vad.process(new Int16Array(100))).toThrow(/expected 80, 160, 240/);
    vad.close();
    vad.close(); // twice is fine
    expect(() => vad.process(new Int16Array(160))).toThrow(/closed/);
    await expect(createWebRtcVad({ sampleRate: 44100 as 8000 })).rejects.toThrow(RangeError);
    await expect(createWebRtcVad({ sampleRate: 8000, mode: 7 as 3 })).rejects.toThrow(RangeError);
  });
});
