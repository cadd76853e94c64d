import { afterAll, describe, expect, it } from 'vitest';
import { checkLocalAsr } from '../availability.js';
import { buildGrammar } from '../grammar.js';
import { frames, phoneSpeech } from '../testing/phone-line.js';
import { createLocalSynthesizer } from '../tts.js';
import { AsrWorkerPool, createRecognizer, type Recognizer } from './recognizer.js';

// Speech is made here with flite/espeak-ng and sent through an 8 kHz μ-law phone line (testing/phone-line.ts).
const asr = await checkLocalAsr();
if (!asr.available) console.warn(`[asr] tests skipped: ${asr.reason}`);
const suite = asr.available ? describe : describe.skip;

const tts = createLocalSynthesizer();
const pool = new AsrWorkerPool({ size: 1 });
afterAll(async () => {
  await pool.close();
  await tts.close();
});

const steps = {
  intent: buildGrammar({
    intents: {
      book: ['book an appointment', 'make an appointment'],
      status: ['check my order status', 'where is my order'],
      agent: ['talk to an agent'],
    },
  }),
  yesNo: buildGrammar({ yesNo: true }),
  when: buildGrammar({ day: true, time: true }),
  digits: buildGrammar({ digits: { min: 4, max: 8 } }),
};
const turns: [keyof typeof steps, string][] = [
  ['intent', 'i would like to book an appointment'],
  ['yesNo', 'yes'],
  ['when', 'tomorrow at ten'],
  ['intent', 'check my order status'],
  ['digits', 'one two three four'],
];

async function say(rec: Recognizer, audio: Int16Array) {
  for (const frame of frames(audio, rec.sampleRate, 20)) rec.pushAudio(frame);
  return rec.endUtterance();
}

function wordErrors(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[hyp.length] ?? 0;
}

suite('pocketsphinx recogniser (worker thread)', () => {
  it('recognises grammar turns on phone audio across voices', async () => {
    const report: string[] = [];
    const perfect: string[] = [];
    let fliteErrors = 0;
    let fliteWords = 0;
    for (const voice of ['kal', 'slt', 'rms', 'awb', 'en-us']) {
      const rec = await createRecognizer({ sampleRate: 8000, grammar: steps.intent.jsgf, pool });
      let errors = 0;
      let words = 0;
      let exact = 0;
      let meaning = 0;
      let audioMs = 0;
      let decodeMs = 0;
      const misses: string[] = [];
      for (const [step, text] of turns) {
        await rec.setGrammar(steps[step].jsgf);
        const result = await say(rec, await phoneSpeech(tts, text, voice));
        expect(result.mode).toBe('grammar');
        const ref = text.split(' ');
        errors += wordErrors(ref, result.text.split(' ').filter(Boolean));
        words += ref.length;
        audioMs += result.durationMs;
        decodeMs += result.decodeMs;
        if (result.text === text) exact++;
        if (JSON.stringify(steps[step].interpret(result.text)) === JSON.stringify(steps[step].interpret(text))) meaning++;
        else misses.push(`"${text}" → "${result.text}"`);
      }
      await rec.close();
      if (voice !== 'en-us') {
        fliteErrors += errors;
        fliteWords += words;
        if (meaning === turns.length && exact >= turns.length - 1) perfect.push(voice);
      }
      report.push(
        `${voice}: WER ${((100 * errors) / words).toFixed(1)} %, exact ${exact}/${turns.length}, ` +
          `meaning ${meaning}/${turns.length}, start-up ${rec.startupMs.toFixed(0)} ms, RTF ${(decodeMs / audioMs).toFixed(3)}` +
          (misses.length ? ` misses: ${misses.join('; ')}` : ''),
      );
    }
    console.log(`[asr grammar]\n  ${report.join('\n  ')}`);
    expect(perfect.length).toBeGreaterThanOrEqual(2); // the brief: right on at least two voices
    expect(fliteErrors / fliteWords).toBeLessThan(0.1);
  });

  it('returns text in open dictation', async () => {
    const rec = await createRecognizer({ sampleRate: 8000, pool });
    const text = 'i would like to book an appointment for next week';
    await say(rec, await phoneSpeech(tts, 'hello i am calling about my account', 'slt')); // first turn adapts CMN
    const result = await say(rec, await phoneSpeech(tts, text, 'slt'));
    await rec.close();
    console.log(`[asr dictation] "${text}" → "${result.text}" (RTF ${(result.decodeMs / result.durationMs).toFixed(2)})`);
    expect(result.mode).toBe('dictation');
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.text.split(' ').filter((w) => text.split(' ').includes(w)).length).toBeGreaterThanOrEqual(3);
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('decodes in the worker: the main event loop stays responsive', async () => {
    const rec = await createRecognizer({ sampleRate: 8000, pool });
    await rec.setGrammar(null); // dictation: the most CPU per second of audio
    const long = await phoneSpeech(tts, 'i want to talk to somebody about the bill i received last month because it is wrong and i would like a refund please', 'rms');
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const elu = performance.eventLoopUtilization();
    const wall = performance.now();
    const result = await say(rec, long);
    const busy = performance.eventLoopUtilization(elu).utilization;
    const wallMs = performance.now() - wall;
    clearInterval(timer);
    await rec.close();
    console.log(
      `[asr event loop] worker decoded ${result.durationMs} ms of audio with ${result.decodeMs.toFixed(0)} ms of CPU ` +
        `(${wallMs.toFixed(0)} ms wall); main loop busy ${(100 * busy).toFixed(1)} %, longest timer gap ${maxGap.toFixed(1)} ms`,
    );
    expect(result.decodeMs).toBeGreaterThan(200); // real work happened…
    expect(busy).toBeLessThan(0.25); // …but not on the main thread (in process it would be ~100 %)
    expect(maxGap).toBeLessThan(150); // generous: shared CI machines have scheduling hiccups
  });

  it('keeps word timings on the call time line', async () => {
    const rec = await createRecognizer({ sampleRate: 8000, grammar: steps.yesNo.jsgf, pool });
    const first = await say(rec, await phoneSpeech(tts, 'yes', 'awb'));
    await rec.setGrammar(steps.when.jsgf);
    const second = await say(rec, await phoneSpeech(tts, 'tomorrow at ten', 'awb'));
    await rec.close();
    expect(second.startMs).toBe(first.startMs + first.durationMs);
    for (const w of second.words) {
      expect(w.startMs).toBeGreaterThanOrEqual(second.startMs);
      expect(w.endMs).toBeLessThanOrEqual(second.startMs + second.durationMs + 20);
    }
    expect(second.words.map((w) => w.word)).toEqual(second.text.split(' '));
  });

  it('takes 16 kHz wide-band audio too', async () => {
    const rec = await createRecognizer({ sampleRate: 16000, grammar: steps.intent.jsgf, pool });
    const speech = await tts.synthesize('where is my order', { voice: 'awb' });
    const padded = new Int16Array(speech.samples.length + 8000);
    padded.set(speech.samples, 4000);
    const result = await say(rec, padded);
    await rec.close();
    expect(steps.intent.interpret(result.text)).toMatchObject({ kind: 'intent', intent: 'status' });
  });

  it('serves two calls at once from one worker without mixing them up', async () => {
    const [a, b] = await Promise.all([
      createRecognizer({ sampleRate: 8000, grammar: steps.yesNo.jsgf, pool }),
      createRecognizer({ sampleRate: 8000, grammar: steps.digits.jsgf, pool }),
    ]);
    const [yes, digits] = await Promise.all([phoneSpeech(tts, 'yes', 'kal'), phoneSpeech(tts, 'five six seven eight', 'kal')]);
    const fa = [...frames(yes, 8000)];
    const fb = [...frames(digits, 8000)];
    for (let i = 0; i < Math.max(fa.length, fb.length); i++) {
      if (fa[i]) a.pushAudio(fa[i] as Int16Array);
      if (fb[i]) b.pushAudio(fb[i] as Int16Array);
    }
    const [ra, rb] = await Promise.all([a.endUtterance(), b.endUtterance()]);
    await Promise.all([a.close(), b.close()]);
    expect(steps.yesNo.interpret(ra.text)).toEqual({ kind: 'yes' });
    expect(steps.digits.interpret(rb.text)).toEqual({ kind: 'digits', digits: '5678' });
  });

  it('dictation decoders on one worker share its language model and still hear each call alone', async () => {
    const [request, question] = await Promise.all([
      phoneSpeech(tts, 'i would like to book an appointment tomorrow', 'kal'),
      phoneSpeech(tts, 'can i speak to a person please', 'slt'),
    ]);
    // Each utterance alone on a fresh decoder, then both at once on two more, frame by frame.
    const alone: string[] = [];
    for (const audio of [request, question]) {
      const rec = await createRecognizer({ sampleRate: 8000, grammar: null, pool });
      alone.push((await say(rec, audio)).text);
      await rec.close();
    }
    const [a, b] = await Promise.all([0, 1].map(() => createRecognizer({ sampleRate: 8000, grammar: null, pool })));
    const fa = [...frames(request, 8000)];
    const fb = [...frames(question, 8000)];
    for (let i = 0; i < Math.max(fa.length, fb.length); i++) {
      if (fa[i]) a!.pushAudio(fa[i] as Int16Array);
      if (fb[i]) b!.pushAudio(fb[i] as Int16Array);
    }
    const together = await Promise.all([a!.endUtterance(), b!.endUtterance()]);
    await Promise.all([a!.close(), b!.close()]);
    expect(together.map((r) => r.text)).toEqual(alone);
    expect(alone[0]).toContain('appointment');
  });

  it('rejects a bad grammar without harming the call, and ends an empty utterance quietly', async () => {
    const rec = await createRecognizer({ sampleRate: 8000, grammar: steps.yesNo.jsgf, pool });
    await expect(rec.setGrammar('#JSGF V1.0;\ngrammar g;\npublic <u> = ( /5/ yes | /1/ no );\n')).rejects.toThrow(/weight/);
    await expect(rec.setGrammar('#JSGF V1.0;\ngrammar g;\npublic <u> = yes | xyzzyplugh;\n')).rejects.toThrow(/did not compile/);
    expect((await rec.endUtterance()).text).toBe('');
    const result = await say(rec, await phoneSpeech(tts, 'no', 'slt'));
    expect(steps.yesNo.interpret(result.text)).toEqual({ kind: 'no' });
    await rec.close();
    expect(() => rec.pushAudio(new Int16Array(160))).toThrow(/closed/);
  });
});
