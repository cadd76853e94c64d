/**
 * npm run bench:asr — intent and slot accuracy and word error of the local speech pipeline, per flow step of the
 * example flows. The caller utterances are generated here with local TTS (flite kal/slt/rms/awb, espeak-ng en-us,
 * several rates), made phone quality (8 kHz, μ-law round trip), recognized by pocketsphinx with the grammar of the
 * step that expects them, and interpreted by the flow engine. Writes the figures to docs/benchmarks.md.
 */
import { performance } from 'node:perf_hooks';
import { EXAMPLE_FLOWS, FlowRunner, toGrammarExpectation, type FlowState, type Heard } from '../src/ai/flows/index.js';
import { buildGrammar, createLocalSynthesizer, createRecognizer, DEFAULT_DECODER_ARGS, defaultAsrPool, GRAMMAR_DECODER_ARGS } from '../src/ai/local/index.js';
import { mulawToPcm16, pcm16ToMulaw, resample } from '../src/media/index.js';
import { machineLine, writeSection } from './report.js';

const NOW = Date.UTC(2025, 0, 15, 14, 0); // Wednesday 15 January 2025, 09:00 in New York: fixed, so results repeat
const VOICES: { voice: string; rate: number }[] = [
  { voice: 'kal', rate: 1 }, { voice: 'slt', rate: 1 }, { voice: 'rms', rate: 0.9 }, { voice: 'awb', rate: 1.1 },
  { voice: 'en-us', rate: 1 }, { voice: 'slt', rate: 1.2 }, { voice: 'kal', rate: 0.9 }, { voice: 'rms', rate: 1.1 },
  { voice: 'awb', rate: 0.9 }, { voice: 'en-us', rate: 1.2 },
];

interface StepSet {
  label: string;
  flow: string;
  /** Caller texts that lead from the start to the step. */
  path: string[];
  /** What the step checks: the recognized intent, slots, or both. */
  utterances: string[];
}

// References are written as spoken (number words), so word error compares like with like.
const SETS: StepSet[] = [
  {
    label: 'booking · `ask_need` (intent, intent + day/time)', flow: 'appointment-booking', path: [],
    utterances: [
      'i would like to book an appointment', 'book an appointment', 'i want to make an appointment', 'schedule an appointment please',
      'i need to book a visit', 'speak to a person', 'i want to talk to someone', 'um i would like to speak to an agent',
      'can i book an appointment', 'a real person please', 'i would like to schedule an appointment', 'could i make an appointment',
      // intent and day/time in one breath (the step captures `when`)
      'i would like to book an appointment tomorrow at ten', 'book an appointment on friday at two p m',
      'i want to make an appointment next monday at nine thirty', 'schedule an appointment tomorrow morning at eleven',
    ],
  },
  {
    label: 'booking · `ask_when` (day/time)', flow: 'appointment-booking', path: ['book an appointment'],
    utterances: [
      'tomorrow at ten', 'monday at two thirty p m', 'friday at eleven', 'next tuesday at nine a m', 'tomorrow at half past three',
      'thursday at four', 'at ten tomorrow', 'wednesday at quarter past ten', 'the day after tomorrow at noon', 'saturday at eleven thirty',
      'next friday at one p m', 'tomorrow morning at nine',
    ],
  },
  {
    label: 'booking · `confirm` (yes/no)', flow: 'appointment-booking', path: ['book an appointment', 'tomorrow at ten'],
    utterances: ['yes', 'no', 'yes please', 'yeah', 'no thanks', 'correct', 'that is right', 'nope', 'sure', 'no thank you', 'absolutely', 'okay'],
  },
  {
    label: 'order status · `ask_order` (digits)', flow: 'order-status', path: [],
    utterances: [
      'one two three four', 'four five one two', 'nine eight seven six five', 'three oh seven two', 'five five five one two three',
      'two zero two five', 'eight six four two', 'seven one nine three eight', 'six two eight one', 'zero nine one one four four',
      'one three five seven nine', 'four four eight zero one',
    ],
  },
  {
    label: 'billing · `ask_issue` (intent)', flow: 'billing-support', path: [],
    utterances: [
      'i want a refund', 'get a refund', 'i would like to dispute a charge', 'there is a wrong charge', 'i was charged twice',
      'speak to a person', 'i want my money back', 'refund my payment', 'talk to someone', 'i need to dispute a charge',
      'a charge i do not recognize', 'speak to an agent',
    ],
  },
];

/** What an answer meant to the flow: intent and filled slots (comparable as a string). */
function meaning(heard: Heard | undefined): string {
  if (!heard?.matched) return 'no match';
  const slots = Object.entries(heard.slots).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [heard.intent ? `intent=${heard.intent.intent}` : '', ...slots].filter(Boolean).join(' ');
}

function wordErrors(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[hyp.length]!;
}

const words = (text: string): string[] => text.toLowerCase().trim().split(/\s+/).filter(Boolean);

/** TTS output as a phone line delivers it: 8 kHz, μ-law, with a little silence around the speech. */
function phoneQuality(samples: Int16Array, sampleRate: number): Int16Array {
  const narrow = resample(samples, sampleRate, 8000);
  const padded = new Int16Array(narrow.length + 2 * 2400);
  padded.set(narrow, 2400);
  return mulawToPcm16(pcm16ToMulaw(padded));
}

interface Row { label: string; n: number; right: number; errors: number; refWords: number; audioMs: number; decodeMs: number; misses: string[] }

const started = performance.now();
const tts = createLocalSynthesizer();
await tts.warmUp();
const rows: Row[] = [];
const byVoice = new Map<string, { n: number; right: number }>();
let voiceIndex = 0;
try {
  for (const set of SETS) {
    const runner = FlowRunner.from(EXAMPLE_FLOWS.find((f) => f.id === set.flow), { now: () => NOW });
    let state: FlowState = runner.start().state;
    for (const text of set.path) state = runner.advance(state, { type: 'text', text, confidence: 1 }).state;
    const e = runner.expectation(state);
    const g = e && toGrammarExpectation(e);
    if (!g) throw new Error(`${set.label}: the step expects nothing a grammar can hold`);
    const grammar = buildGrammar(g);
    const recognizer = await createRecognizer({ sampleRate: 8000, grammar: grammar.jsgf });
    const row: Row = { label: set.label, n: 0, right: 0, errors: 0, refWords: 0, audioMs: 0, decodeMs: 0, misses: [] };
    try {
      // Each utterance twice, by two different voices/rates (the rotation runs across steps).
      for (const reference of set.utterances.flatMap((u) => [u, u])) {
        const { voice, rate } = VOICES[voiceIndex++ % VOICES.length]!;
        const speech = await tts.synthesize(reference, { voice, rate });
        const audio = phoneQuality(speech.samples, speech.sampleRate);
        for (let at = 0; at < audio.length; at += 160) recognizer.pushAudio(audio.subarray(at, at + 160));
        const result = await recognizer.endUtterance();
        const want = meaning(runner.advance(state, { type: 'text', text: reference, confidence: 1 }).heard);
        const got = meaning(runner.advance(state, { type: 'text', text: result.text, ...(result.confidence !== undefined ? { confidence: result.confidence } : {}) }).heard);
        if (want === 'no match') throw new Error(`${set.label}: the flow does not understand the reference "${reference}"`);
        row.n++;
        row.audioMs += result.durationMs;
        row.decodeMs += result.decodeMs;
        row.refWords += words(reference).length;
        row.errors += wordErrors(words(reference), words(result.text));
        const v = byVoice.get(voice) ?? { n: 0, right: 0 };
        byVoice.set(voice, { n: v.n + 1, right: v.right + (got === want ? 1 : 0) });
        if (got === want) row.right++;
        else row.misses.push(`"${reference}" (${voice}, ×${rate}) → "${result.text}": ${got}, wanted ${want}`);
      }
    } finally {
      await recognizer.close();
    }
    rows.push(row);
  }
} finally {
  await tts.close();
  await defaultAsrPool().close();
}

const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
const total = rows.reduce((t, r) => ({ n: t.n + r.n, right: t.right + r.right, errors: t.errors + r.errors, refWords: t.refWords + r.refWords, audioMs: t.audioMs + r.audioMs, decodeMs: t.decodeMs + r.decodeMs }), { n: 0, right: 0, errors: 0, refWords: 0, audioMs: 0, decodeMs: 0 });
const table = [
  '| flow · step | utterances | intent/slots right | word error | real-time factor |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.label} | ${r.n} | ${r.right} (${pct(r.right, r.n)}) | ${pct(r.errors, r.refWords)} | ${(r.decodeMs / Math.max(1, r.audioMs)).toFixed(3)} |`),
  `| **overall** | ${total.n} | ${total.right} (${pct(total.right, total.n)}) | ${pct(total.errors, total.refWords)} | ${(total.decodeMs / Math.max(1, total.audioMs)).toFixed(3)} |`,
].join('\n');
const voices = [
  '| voice | utterances | intent/slots right |',
  '|---|---|---|',
  ...[...byVoice].map(([voice, v]) => `| ${voice} | ${v.n} | ${v.right} (${pct(v.right, v.n)}) |`),
].join('\n');
const misses = rows.flatMap((r) => r.misses);
const flags = Object.entries({ ...DEFAULT_DECODER_ARGS, ...GRAMMAR_DECODER_ARGS }).map(([k, v]) => `${k} ${v}`).join(' ');
const seconds = ((performance.now() - started) / 1000).toFixed(0);
process.stdout.write(`${table}\n\n${voices}\n${misses.map((m) => `miss: ${m}`).join('\n')}\n(${seconds} s)\n`);
writeSection('Local speech recognition (bench:asr)', `
Command: \`npm run bench:asr\` — ${total.n} caller utterances (${total.n / 2} texts, each by two voices) generated by the script with local TTS (flite kal, slt, rms,
awb and espeak-ng en-us, rates 0.9–1.2), resampled to 8 kHz and passed through a μ-law round trip (src/media), recognized
by pocketsphinx (\`createRecognizer({ sampleRate: 8000, grammar })\`, one decoder per step, flags \`${flags}\`) with the JSGF grammar of the flow step
that expects them (\`expectation(state)\` → \`buildGrammar\`), then interpreted by \`FlowRunner.advance\`. An utterance is
right when the flow makes of the hypothesis what it makes of the reference text (same intent, same slot values); word
error is against the reference text. Real-time factor is decoding wall time over audio time in the ASR worker (it grows
when the shared machine is busy). Run time ${seconds} s.
Machine: ${machineLine()}.
Target: ≥ 90 % of intents right.

${table}

By voice (espeak-ng's en-us is the least natural of the five and accounts for most misses):

${voices}
${misses.length ? `\nMisses:\n\n${misses.map((m) => `- ${m}`).join('\n')}\n` : ''}`);
