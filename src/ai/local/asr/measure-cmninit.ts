// Measure a -cmninit for phone-band audio: run `node --import tsx src/ai/local/asr/measure-cmninit.ts`.
// Synthesises phrases with several flite and espeak-ng voices, passes them through an 8 kHz μ-law line, upsamples
// them as the recogniser does and reads pocketsphinx's own live-CMN updates from its log. Paste the printed vector
// into PHONE_BAND_CMNINIT (feat-params.ts). Not used at run time.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { padSilence, toPhoneLine } from '../testing/phone-line.js';
import { createLocalSynthesizer } from '../tts.js';
import { PocketsphinxDecoder } from './pocketsphinx.js';
import { Upsampler2x } from './upsample.js';

const PHRASES = [
  'hello, i am calling about my account',
  'i would like to book an appointment for next week',
  'can you check the status of my order please',
  'my number is five five five, one two three, four five six seven',
  'yes that is right',
  'no thank you, that will be all',
  'tomorrow at ten thirty in the morning',
  'i want to speak to a person about a refund',
];
const VOICES = ['kal', 'slt', 'rms', 'awb', 'en-us', 'en-us+f3'];

export async function measureCmninit(voices: readonly string[] = VOICES): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cmninit-'));
  const logFile = join(dir, 'ps.log');
  const tts = createLocalSynthesizer();
  const vectors: number[][] = [];
  try {
    for (const voice of voices) {
      // A fresh decoder per voice starts from the model's wide-band value; the mean it converges to is what we want.
      const decoder = new PocketsphinxDecoder({ logFile });
      decoder.setGrammar(null);
      const up = new Upsampler2x();
      for (const phrase of PHRASES) {
        const speech = await tts.synthesize(phrase, { voice });
        const line = padSilence(toPhoneLine(speech.samples, speech.sampleRate), 8000, 300, 300);
        decoder.process(up.process(line));
        decoder.endUtterance();
      }
      decoder.free();
      const updates = [...readFileSync(logFile, 'utf8').matchAll(/Update to\s+<([^>]+)>/g)].map((m) =>
        (m[1] ?? '').trim().split(/\s+/).map(Number),
      );
      // Skip the first updates of each voice: they are still pulled towards the wide-band start value.
      vectors.push(...updates.slice(-Math.ceil(PHRASES.length / 2)));
      rmSync(logFile, { force: true });
    }
  } finally {
    await tts.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const mean = Array.from({ length: 13 }, (_, k) => vectors.reduce((s, v) => s + (v[k] ?? 0), 0) / vectors.length);
  return mean.map((v) => Math.round(v * 100) / 100);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmninit = await measureCmninit();
  console.log(`-cmninit ${cmninit.map((v) => v.toFixed(2)).join(',')}`);
}
