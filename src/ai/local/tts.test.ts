import { afterAll, describe, expect, it } from 'vitest';
import { createLocalSynthesizer, resolveVoice } from './tts.js';

describe('resolveVoice', () => {
  it.each([
    [{}, { engine: 'flite', voice: 'slt' }],
    [{ voice: 'KAL' }, { engine: 'flite', voice: 'kal' }],
    [{ language: 'en-GB' }, { engine: 'flite', voice: 'slt' }],
    [{ language: 'es' }, { engine: 'espeak', voice: 'es' }],
    [{ language: 'pt_BR' }, { engine: 'espeak', voice: 'pt-br' }],
    [{ voice: 'espeak:cs' }, { engine: 'espeak', voice: 'cs' }],
    [{ voice: 'en-us', language: 'es' }, { engine: 'espeak', voice: 'en-us' }],
  ])('%j → %j', (options, expected) => {
    expect(resolveVoice(options)).toEqual(expected);
  });
});

describe('LocalSpeechSynthesizer', () => {
  const tts = createLocalSynthesizer();
  afterAll(() => tts.close());

  it('warms up both engines once, then synthesises quickly in a worker', async () => {
    const startup = await tts.warmUp();
    expect(Object.keys(startup).sort()).toEqual(['espeak', 'flite']);
    const timings: string[] = [];
    for (const [voice, rate] of [['kal', 8000], ['slt', 16000], ['rms', 16000], ['awb', 16000], ['en-us', 22050], ['es', 22050]] as const) {
      const text = voice === 'es' ? 'quiero reservar una cita para mañana' : 'i would like to book an appointment for tomorrow';
      const t = performance.now();
      const speech = await tts.synthesize(text, { voice });
      const ms = performance.now() - t;
      expect(speech.sampleRate).toBe(rate);
      const seconds = speech.samples.length / speech.sampleRate;
      expect(seconds).toBeGreaterThan(1);
      expect(seconds).toBeLessThan(6);
      expect(Math.max(...speech.samples.subarray(0, 20000).map(Math.abs))).toBeGreaterThan(2000); // not silence
      timings.push(`${voice} ${ms.toFixed(0)} ms for ${seconds.toFixed(2)} s`);
      expect(ms).toBeLessThan(2000); // warm: typically 20–150 ms; loose because CI machines are shared
    }
    console.log(`[tts] start-up ${JSON.stringify(startup)}; warm calls: ${timings.join(', ')}`);
  });

  it('speaks faster at a higher rate', async () => {
    const normal = await tts.synthesize('please hold while i check your order', { voice: 'slt' });
    const fast = await tts.synthesize('please hold while i check your order', { voice: 'slt', rate: 1.5 });
    expect(fast.samples.length).toBeLessThan(normal.samples.length * 0.85);
    const espeakNormal = await tts.synthesize('please hold', { voice: 'en-us' });
    const espeakFast = await tts.synthesize('please hold', { voice: 'en-us', rate: 1.5 });
    expect(espeakFast.samples.length).toBeLessThan(espeakNormal.samples.length);
  });

  it('returns silence for empty text and rejects unknown voices and silly rates', async () => {
    expect((await tts.synthesize('  ')).samples.length).toBe(0);
    await expect(tts.synthesize('hello', { voice: 'no-such-voice' })).rejects.toThrow(/unknown voice/);
    await expect(tts.synthesize('hello', { rate: 0 })).rejects.toThrow(RangeError);
  });

  it('survives many flite runs (node:wasi aborted the process after ~150)', async () => {
    for (let i = 0; i < 60; i++) await tts.synthesize(`number ${i}`, { voice: i % 2 ? 'kal' : 'slt' });
  });
});
