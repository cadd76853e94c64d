// JSGF grammars generated from what a dialogue step expects. Why: pocketsphinx with a small per-turn grammar is
// accurate on phone audio (≈3–9 % word error) where open dictation is not (≈40–80 %). See docs/local-speech.md.
import { readFileSync } from 'node:fs';
import { modelPaths } from './asr/model.js';

/** What a dialogue step is listening for. Every part is optional; at least one must be set. */
export interface StepExpectation {
  /** Intent name → example phrases ("book an appointment", "check my order status"). */
  intents?: Record<string, readonly string[]>;
  yesNo?: boolean;
  /**
   * A spoken digit string ("one two three four", "five oh double seven"); min/max bound its length; `name` ("order
   * number") lets the caller lead with "my order number is …".
   */
  digits?: boolean | { min?: number; max?: number; name?: string };
  /** A cardinal number 0–999 ("forty two", "a hundred and five"). */
  number?: boolean;
  /** A day ("today", "tomorrow", "next monday"). With `time` too, both may come in one phrase ("tomorrow at ten"). */
  day?: boolean;
  /** A clock time ("ten", "ten thirty", "two p m", "at ten", "half past three"). */
  time?: boolean;
  /** Allow hesitations and polite wrappers ("um", "i would like to", "please"). Default true. */
  fillers?: boolean;
}

export interface PhraseDictionary {
  has(word: string): boolean;
}

export type Interpretation =
  | { kind: 'intent'; intent: string; phrase: string; datetime?: DateTimeParts }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'digits'; digits: string }
  | { kind: 'number'; value: number }
  | ({ kind: 'datetime' } & DateTimeParts)
  | { kind: 'none' };

/** A day and/or a clock time as heard ("tomorrow", 10:00). */
export interface DateTimeParts {
  day?: string;
  time?: { hour: number; minute: number; meridiem?: 'am' | 'pm' };
}

export interface StepGrammar {
  jsgf: string;
  /** Words of the intent phrases that are not in the pocketsphinx dictionary (lower-cased, as written). */
  unknownWords: string[];
  /** Unknown words that were spelled out letter by letter instead of dropped ("crm" → "c r m"). */
  spelled: Record<string, string>;
  /** Phrases left with no known word at all, hence not in the grammar. */
  droppedPhrases: string[];
  /** Map a recognised hypothesis back to what the step expected. */
  interpret(text: string): Interpretation;
}

// ---------------------------------------------------------------------------------------------------------------
// Dictionary and normalisation

const dictionaries = new Map<string, Set<string>>();

/** The words of a pocketsphinx dictionary (alternate pronunciations folded). Read once per path (~130k words). */
export function loadDictionary(path = modelPaths().dict): Set<string> {
  let words = dictionaries.get(path);
  if (!words) {
    words = new Set();
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) words.add(line.slice(0, space).replace(/\(\d+\)$/, ''));
    }
    dictionaries.set(path, words);
  }
  return words;
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 0–9999 as words, "one hundred five" style; longer numbers are read digit by digit. */
export function numberToWords(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > 9999) return String(n).split('').map((d) => ONES[Number(d)] ?? d);
  if (n < 10) return [ONES[n] ?? ''];
  if (n < 20) return [TEENS[n - 10] ?? ''];
  if (n < 100) return [TENS[Math.floor(n / 10)] ?? '', ...(n % 10 ? [ONES[n % 10] ?? ''] : [])];
  if (n < 1000) {
    return [ONES[Math.floor(n / 100)] ?? '', 'hundred', ...(n % 100 ? numberToWords(n % 100) : [])];
  }
  return [...numberToWords(Math.floor(n / 1000)), 'thousand', ...(n % 1000 ? numberToWords(n % 1000) : [])];
}

interface Normalised {
  words: string[];
  unknown: string[];
  spelled: Record<string, string>;
}

/**
 * Lower-case a phrase and map it onto dictionary words: digits become number words, hyphenated words split, short
 * unknown acronyms are spelled out ("CRM" → "c r m"), and other unknown words are dropped and reported.
 */
export function normalisePhrase(text: string, dictionary: PhraseDictionary): Normalised {
  const out: Normalised = { words: [], unknown: [], spelled: {} };
  const cleaned = text
    .replace(/&/g, ' and ')
    .replace(/%/g, ' percent ')
    .replace(/[’‘]/g, "'")
    .replace(/[^A-Za-z0-9'\s-]/g, ' ');
  for (const original of cleaned.split(/\s+/)) {
    if (original === '') continue;
    addToken(original, dictionary, out);
  }
  return out;
}

function addToken(original: string, dictionary: PhraseDictionary, out: Normalised): void {
  const token = original.toLowerCase();
  if (dictionary.has(token)) {
    out.words.push(token);
    return;
  }
  if (/^\d+$/.test(token)) {
    // "10" → "ten"; codes with a leading zero and long strings are read digit by digit, as people read them.
    const spoken =
      token.length <= 4 && !token.startsWith('0')
        ? numberToWords(Number(token))
        : token.split('').map((d) => ONES[Number(d)] ?? '');
    out.words.push(...spoken);
    return;
  }
  if (token.includes('-')) {
    for (const part of original.split('-')) if (part) addToken(part, dictionary, out);
    return;
  }
  const bare = token.replace(/^'+|'+$/g, '');
  if (bare !== token) {
    if (bare) addToken(bare, dictionary, out);
    return;
  }
  // Acronyms are read letter by letter: "CRM", or a short vowel-less lower-case word like "crm".
  const isAcronym = /^[A-Z]{2,5}$/.test(original) || (/^[a-z]{2,4}$/.test(token) && !/[aeiouy]/.test(token));
  const letters = token.split('');
  if (isAcronym && letters.every((l) => dictionary.has(l))) {
    out.words.push(...letters);
    out.unknown.push(token);
    out.spelled[token] = letters.join(' ');
    return;
  }
  out.unknown.push(token);
}

// ---------------------------------------------------------------------------------------------------------------
// Fixed vocabularies

// Not "oh": it is also a digit ("five oh seven").
const HESITATIONS = ['um', 'uh', 'so', 'well', 'okay so'];
const INTENT_PREFIXES = [
  'i would like to', "i'd like to", 'i want to', 'i need to', 'i wanna', 'i would like', "i'd like", 'i want',
  'i need', 'can i', 'could i', 'can you', 'could you', 'please', 'i am calling to', "i'm calling to", 'help me',
];
const SUFFIXES = ['please', 'thanks', 'thank you'];
// Said before a number read out digit by digit ("it's one two three four").
const DIGIT_LEADS = ["it's", 'it is', 'my number is', 'the number is', "that's", 'that is'];
const YES = ['yes', 'yeah', 'yep', 'yup', 'sure', 'correct', 'right', "that's right", 'that is right', 'ok', 'okay', 'of course', 'absolutely', 'yes please', 'sure thing'];
const NO = ['no', 'nope', 'nah', 'no thanks', 'no thank you', 'not really', 'incorrect', "that's wrong", 'negative'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

// ---------------------------------------------------------------------------------------------------------------
// Building

/** Quote-free JSGF alternatives from word lists, keeping only entries whose words are all in the dictionary. */
function alternatives(phrases: readonly string[], dictionary: PhraseDictionary): string[] {
  return [...new Set(phrases)].filter((p) => p.split(' ').every((w) => dictionary.has(w)));
}

function alt(items: readonly string[]): string {
  return items.length === 1 ? (items[0] ?? '') : `( ${items.join(' | ')} )`;
}

export function buildGrammar(expect: StepExpectation, options: { dictionary?: PhraseDictionary } = {}): StepGrammar {
  const dictionary = options.dictionary ?? loadDictionary();
  const rules: string[] = [];
  const answers: string[] = [];
  const unknown = new Set<string>();
  const spelled: Record<string, string> = {};
  const droppedPhrases: string[] = [];
  const intentPhrases = new Map<string, string>(); // normalised phrase → intent name
  const fillers = expect.fillers ?? true;

  const intents = Object.entries(expect.intents ?? {});
  // With a day or time expected too, an intent may carry it in the same breath ("book an appointment for tomorrow
  // at ten"). Why <tail> and not <when>: after an intent phrase a bare hour ("book a visit two") is not how people
  // give a time, and allowing it lets the decoder explain a trailing noise as an hour; a time there needs "at" or a day.
  const intentTail = expect.day || expect.time ? ' [<tail>]' : '';
  intents.forEach(([intent, phrases], i) => {
    const normalised: string[] = [];
    for (const phrase of phrases) {
      const n = normalisePhrase(phrase, dictionary);
      n.unknown.forEach((w) => unknown.add(w));
      Object.assign(spelled, n.spelled);
      if (n.words.length === 0) {
        droppedPhrases.push(phrase);
        continue;
      }
      const text = n.words.join(' ');
      normalised.push(text);
      if (!intentPhrases.has(text)) intentPhrases.set(text, intent);
    }
    if (normalised.length === 0) return;
    rules.push(`<intent${i}> = ${alt([...new Set(normalised)])};`);
    answers.push(fillers ? `[<request>] <intent${i}>${intentTail}` : `<intent${i}>${intentTail}`);
  });
  if (intents.length && fillers) rules.push(`<request> = ${alt(alternatives(INTENT_PREFIXES, dictionary))};`);

  if (expect.yesNo) {
    rules.push(`<yes> = ${alt(alternatives(YES, dictionary))};`, `<no> = ${alt(alternatives(NO, dictionary))};`);
    answers.push('<yes>', '<no>');
  }

  if (expect.digits) {
    const { min = 1, max = undefined, name = undefined } = typeof expect.digits === 'object' ? expect.digits : {};
    // "double five" is how many people read a repeated digit; it counts as one step of the length bound.
    rules.push(`<digit> = ( <single> | double <single> );`, `<single> = ( zero | oh | ${ONES.slice(1).join(' | ')} );`);
    const required = Array.from({ length: Math.max(1, min) }, () => '<digit>').join(' ');
    let body: string;
    if (max === undefined) body = min <= 1 ? '<digit>+' : `${required} <digit>*`;
    else {
      let optional = '';
      for (let k = max - Math.max(1, min); k > 0; k--) optional = optional ? `[ <digit> ${optional} ]` : '[ <digit> ]';
      body = `${required}${optional ? ` ${optional}` : ''}`;
    }
    rules.push(`<digits> = ${body};`);
    answers.push(fillers ? '[<digitlead>] <digits>' : '<digits>');
    if (fillers) rules.push(`<digitlead> = ${alt(alternatives([...DIGIT_LEADS, ...namedLeads(name, dictionary)], dictionary))};`);
  }

  const needsNumbers = expect.number || expect.time;
  if (needsNumbers) {
    rules.push(
      `<units> = ( ${ONES.slice(1).join(' | ')} );`,
      `<teens> = ( ${TEENS.join(' | ')} );`,
      `<tens> = ( ${TENS.slice(2).join(' | ')} );`,
    );
  }
  if (expect.number) {
    rules.push(
      '<under100> = ( zero | <units> | <teens> | <tens> [<units>] );',
      '<number> = ( <under100> | [a | <units>] hundred [[and] <under100>] );',
    );
    answers.push('<number>');
  }

  if (expect.day) {
    rules.push(
      `<weekday> = ( ${DAYS.join(' | ')} );`,
      '<day> = ( today | tonight | tomorrow | the day after tomorrow | [this | next | on] <weekday> | ' +
        'this ( morning | afternoon | evening ) | tomorrow ( morning | afternoon | evening ) );',
    );
  }
  if (expect.time) {
    rules.push(
      "<hour> = ( one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve );",
      '<minute> = ( oh <units> | <teens> | <tens> [<units>] );',
      '<meridiem> = ( a m | p m | in the morning | in the afternoon | in the evening | at night );',
      "<clock> = ( <hour> [ <minute> | o'clock ] [<meridiem>] | noon | midnight | half past <hour> [<meridiem>] | " +
        'quarter ( past | to ) <hour> [<meridiem>] );',
      '<time> = [ at | around | about ] <clock>;',
    );
  }
  if (intents.length && (expect.day || expect.time)) {
    const dayFirst = expect.day ? (expect.time ? '<day> [<time>]' : '<day>') : '';
    const timeFirst = expect.time ? (expect.day ? '<leadtime> [<day>]' : '<leadtime>') : '';
    rules.push(`<tail> = [for] ${alt([dayFirst, timeFirst].filter(Boolean))};`);
    if (expect.time) rules.push('<leadtime> = ( at | around | about ) <clock>;');
  }
  if (expect.day && expect.time) {
    rules.push('<when> = ( <day> [<time>] | <time> [<day>] );');
    answers.push('<when>');
  } else if (expect.day) answers.push('<day>');
  else if (expect.time) answers.push('<time>');

  if (answers.length === 0) throw new Error('buildGrammar: the step expects nothing the grammar can say');

  const lead = fillers ? `[<hesitation>] ` : '';
  const tail = fillers ? ` [<polite>]` : '';
  if (fillers) {
    rules.push(`<hesitation> = ${alt(alternatives(HESITATIONS, dictionary))};`);
    rules.push(`<polite> = ${alt(alternatives(SUFFIXES, dictionary))};`);
  }
  const jsgf = [
    '#JSGF V1.0;',
    'grammar step;',
    `public <utterance> = ${lead}( ${answers.join(' | ')} )${tail};`,
    ...rules,
    '',
  ].join('\n');

  return {
    jsgf,
    unknownWords: [...unknown],
    spelled,
    droppedPhrases,
    interpret: (text) => interpret(text, expect, intentPhrases),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Interpretation of a hypothesis

function interpret(text: string, expect: StepExpectation, intentPhrases: Map<string, string>): Interpretation {
  const padded = ` ${text.toLowerCase().trim().replace(/\s+/g, ' ')} `;
  if (padded.trim() === '') return { kind: 'none' };

  // The longest expected phrase found in the hypothesis wins ("check my order status" over "check").
  let best: { intent: string; phrase: string } | undefined;
  for (const [phrase, intent] of intentPhrases) {
    if (padded.includes(` ${phrase} `) && (!best || phrase.length > best.phrase.length)) best = { intent, phrase };
  }
  if (best) {
    // A day/time said after the intent ("book an appointment tomorrow at ten") comes back with it.
    const after = padded.slice(padded.indexOf(` ${best.phrase} `) + best.phrase.length + 1).trim();
    const when = after && (expect.day || expect.time) ? parseWhen(stripFillers(after), expect) : undefined;
    if (when?.kind === 'datetime') {
      const datetime: DateTimeParts = { ...(when.day ? { day: when.day } : {}), ...(when.time ? { time: when.time } : {}) };
      return { kind: 'intent', ...best, datetime };
    }
    return { kind: 'intent', ...best };
  }

  const core = stripFillers(padded.trim());
  if (expect.yesNo) {
    if (YES.includes(core)) return { kind: 'yes' };
    if (NO.includes(core)) return { kind: 'no' };
  }
  const words = core.split(' ');
  const digits = expect.digits ? spokenDigits(withoutLead(core, expect.digits).split(' ')) : undefined;
  if (digits !== undefined) return { kind: 'digits', digits };
  if (expect.day || expect.time) {
    const when = parseWhen(core, expect);
    if (when) return when;
  }
  if (expect.number) {
    const value = parseNumber(words);
    if (value !== undefined) return { kind: 'number', value };
  }
  return { kind: 'none' };
}

/** "my order number is", "the order number is" for a digit string called "order number" (dictionary words only). */
function namedLeads(name: string | undefined, dictionary: PhraseDictionary): string[] {
  if (!name) return [];
  const n = normalisePhrase(name.replace(/_/g, ' '), dictionary);
  if (n.words.length === 0 || n.unknown.length > 0) return [];
  const words = n.words.join(' ');
  return [`my ${words} is`, `the ${words} is`, `${words} is`];
}

/** The digits part of "my order number is one two …" (the generic leads are gone already, see stripFillers). */
function withoutLead(core: string, digits: NonNullable<StepExpectation['digits']>): string {
  const name = typeof digits === 'object' ? digits.name : undefined;
  const lead = namedLeads(name, { has: () => true }).find((l) => core.startsWith(`${l} `));
  return lead ? core.slice(lead.length + 1) : core;
}

/** "five oh double seven" → "5077"; undefined when a word is not a digit. */
function spokenDigits(words: readonly string[]): string | undefined {
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const repeat = words[i] === 'double' ? 2 : 1;
    const w = words[i + repeat - 1] ?? '';
    const d = w === 'oh' ? 0 : ONES.indexOf(w);
    if (d < 0) return undefined;
    out += String(d).repeat(repeat);
    i += repeat - 1;
  }
  return out || undefined;
}

function stripFillers(text: string): string {
  let t = ` ${text} `;
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of [...HESITATIONS, ...INTENT_PREFIXES, ...DIGIT_LEADS]) {
      if (t.startsWith(` ${f} `) && t.trim() !== f) {
        t = t.slice(f.length + 1);
        changed = true;
      }
    }
    for (const f of SUFFIXES) {
      if (t.endsWith(` ${f} `) && t.trim() !== f) {
        t = t.slice(0, t.length - f.length - 1);
        changed = true;
      }
    }
  }
  return t.trim();
}

/** Words → 0–999, or undefined when they are not a number. */
export function parseNumber(words: readonly string[]): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const w of words) {
    if (w === 'and') continue;
    if (w === 'a' && !seen) {
      current = 1;
      continue;
    }
    const one = ONES.indexOf(w);
    const teen = TEENS.indexOf(w);
    const ten = TENS.indexOf(w);
    if (one >= 0) current += one;
    else if (teen >= 0) current += 10 + teen;
    else if (ten >= 2) current += ten * 10;
    else if (w === 'hundred') current = (current || 1) * 100;
    else if (w === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
    } else return undefined;
    seen = true;
  }
  return seen ? total + current : undefined;
}

function parseWhen(core: string, expect: StepExpectation): Interpretation | undefined {
  let rest = ` ${core.replace(/^for /, '')} `;
  let day: string | undefined;
  if (expect.day) {
    const m = / (the day after tomorrow|today|tonight|tomorrow|(?:this |next |on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this (?:morning|afternoon|evening))( (?:morning|afternoon|evening))? /.exec(
      rest,
    );
    if (m) {
      day = m[0].trim().replace(/^on /, '');
      rest = rest.replace(m[0], ' ');
    }
  }
  let time: { hour: number; minute: number; meridiem?: 'am' | 'pm' } | undefined;
  if (expect.time) {
    const words = rest.trim().replace(/^(at|around|about) /, '').split(' ').filter(Boolean);
    time = parseClock(words);
  }
  if (!day && !time) return undefined;
  return { kind: 'datetime', ...(day ? { day } : {}), ...(time ? { time } : {}) };
}

function parseClock(words: string[]): { hour: number; minute: number; meridiem?: 'am' | 'pm' } | undefined {
  const text = words.join(' ');
  let meridiem: 'am' | 'pm' | undefined;
  const mer = /( a m| p m| in the morning| in the afternoon| in the evening| at night)$/.exec(` ${text}`);
  let body = text;
  if (mer) {
    meridiem = /a m|morning/.test(mer[0]) ? 'am' : 'pm';
    body = ` ${text}`.slice(0, mer.index).trim();
  }
  const withMeridiem = (hour: number, minute: number): { hour: number; minute: number; meridiem?: 'am' | 'pm' } => ({ hour, minute, ...(meridiem ? { meridiem } : {}) });
  if (body === 'noon') return { hour: 12, minute: 0, meridiem: 'pm' };
  if (body === 'midnight') return { hour: 12, minute: 0, meridiem: 'am' };
  const hourOf = (w: string | undefined): number | undefined => {
    const n = w === undefined ? undefined : parseNumber([w]);
    return n !== undefined && n >= 1 && n <= 12 ? n : undefined;
  };
  const parts = body.split(' ').filter(Boolean);
  if (parts[0] === 'half' && parts[1] === 'past') {
    const h = hourOf(parts[2]);
    return h === undefined ? undefined : withMeridiem(h, 30);
  }
  if (parts[0] === 'quarter' && (parts[1] === 'past' || parts[1] === 'to')) {
    const h = hourOf(parts[2]);
    if (h === undefined) return undefined;
    return parts[1] === 'past' ? withMeridiem(h, 15) : withMeridiem(h === 1 ? 12 : h - 1, 45);
  }
  const hour = hourOf(parts[0]);
  if (hour === undefined) return undefined;
  const minuteWords = parts.slice(1).filter((w) => w !== "o'clock");
  if (minuteWords.length === 0) return withMeridiem(hour, 0);
  const minute = minuteWords[0] === 'oh' ? parseNumber(minuteWords.slice(1)) : parseNumber(minuteWords);
  if (minute === undefined || minute > 59) return undefined;
  return withMeridiem(hour, minute);
}
