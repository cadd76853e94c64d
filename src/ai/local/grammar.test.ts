import { describe, expect, it } from 'vitest';
import { checkJsgf } from './asr/jsgf-check.js';
import { buildGrammar, loadDictionary, normalisePhrase, numberToWords, parseNumber } from './grammar.js';

const dictionary = loadDictionary();

/** Every literal word of a generated grammar, for the "all words are in the dictionary" check. */
function grammarWords(jsgf: string): string[] {
  const bodies = jsgf
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => l.slice(l.indexOf('=') + 1));
  return bodies.join(' ').replace(/<[^>]+>/g, ' ').replace(/[()[\]|;*+]/g, ' ').split(/\s+/).filter(Boolean);
}

describe('buildGrammar', () => {
  const step = buildGrammar({
    intents: {
      book: ['I would like to book an appointment', 'Make an appointment'],
      status: ['Check my order status', 'Where is my order?'],
    },
    yesNo: true,
    digits: { min: 4, max: 6 },
    number: true,
    day: true,
    time: true,
  });

  it('produces a well-formed JSGF grammar whose every word is in the pocketsphinx dictionary', () => {
    expect(step.jsgf.startsWith('#JSGF V1.0;\ngrammar step;\npublic <utterance> =')).toBe(true);
    expect(checkJsgf(step.jsgf)).toBeUndefined();
    const words = grammarWords(step.jsgf);
    expect(words).toContain('appointment');
    expect(words.filter((w) => !dictionary.has(w))).toEqual([]);
    expect(step.unknownWords).toEqual([]);
  });

  it('bounds digit strings when asked', () => {
    expect(step.jsgf).toContain('<digits> = <digit> <digit> <digit> <digit> [ <digit> [ <digit> ] ];');
    expect(buildGrammar({ digits: true }).jsgf).toContain('<digits> = <digit>+;');
  });

  it('lets a named digit string be introduced by its name', () => {
    const g = buildGrammar({ digits: { min: 4, max: 10, name: 'order number' } });
    expect(g.jsgf).toContain('<digitlead> = ( ');
    expect(g.jsgf).toContain('| my order number is |');
    expect(checkJsgf(g.jsgf)).toBeUndefined();
    expect(g.interpret('my order number is one two three four')).toEqual({ kind: 'digits', digits: '1234' });
    expect(g.interpret("um it's four double two one")).toEqual({ kind: 'digits', digits: '4221' });
    expect(buildGrammar({ digits: { name: 'zqxw number' } }).jsgf).not.toContain('zqxw');
  });

  it('leaves fillers out on request', () => {
    const bare = buildGrammar({ yesNo: true, fillers: false });
    expect(bare.jsgf).not.toContain('hesitation');
    expect(bare.jsgf).toContain('public <utterance> = ( <yes> | <no> );');
  });

  it('lets an intent carry a day and time in one breath, and interprets both', () => {
    expect(step.jsgf).toContain('[<request>] <intent0> [<tail>]');
    // After an intent a time needs a lead word or a day ("book a visit two" is not a time).
    expect(step.jsgf).toContain('<tail> = [for] ( <day> [<time>] | <leadtime> [<day>] );');
    expect(checkJsgf(step.jsgf)).toBeUndefined();
    expect(buildGrammar({ intents: { book: ['book an appointment'] } }).jsgf).toContain('[<request>] <intent0> )');
    const dayOnly = buildGrammar({ intents: { book: ['book an appointment'] }, day: true }).jsgf;
    expect(dayOnly).toContain('<intent0> [<tail>]');
    expect(dayOnly).toContain('<tail> = [for] <day>;');
    expect(step.interpret('make an appointment for tomorrow at ten')).toEqual({
      kind: 'intent', intent: 'book', phrase: 'make an appointment', datetime: { day: 'tomorrow', time: { hour: 10, minute: 0 } },
    });
    expect(step.interpret('i would like to make an appointment tomorrow at ten')).toEqual({
      kind: 'intent', intent: 'book', phrase: 'make an appointment', datetime: { day: 'tomorrow', time: { hour: 10, minute: 0 } },
    });
    expect(step.interpret('i would like to book an appointment next friday at two p m please')).toEqual({
      kind: 'intent', intent: 'book', phrase: 'i would like to book an appointment',
      datetime: { day: 'next friday', time: { hour: 2, minute: 0, meridiem: 'pm' } },
    });
    expect(step.interpret('make an appointment purple')).toEqual({ kind: 'intent', intent: 'book', phrase: 'make an appointment' });
  });

  it('refuses a step that expects nothing', () => {
    expect(() => buildGrammar({})).toThrow(/expects nothing/);
  });

  it.each([
    ['i would like to book an appointment', { kind: 'intent', intent: 'book', phrase: 'i would like to book an appointment' }],
    ['um make an appointment please', { kind: 'intent', intent: 'book', phrase: 'make an appointment' }],
    ['check my order status', { kind: 'intent', intent: 'status', phrase: 'check my order status' }],
    ['yeah', { kind: 'yes' }],
    ['uh no thanks', { kind: 'no' }],
    ['one two three oh', { kind: 'digits', digits: '1230' }],
    ["it's five oh double seven", { kind: 'digits', digits: '5077' }],
    ['a hundred and five', { kind: 'number', value: 105 }],
    ['tomorrow at ten', { kind: 'datetime', day: 'tomorrow', time: { hour: 10, minute: 0 } }],
    ['ten thirty', { kind: 'datetime', time: { hour: 10, minute: 30 } }],
    ['two p m', { kind: 'datetime', time: { hour: 2, minute: 0, meridiem: 'pm' } }],
    ['next monday at half past three', { kind: 'datetime', day: 'next monday', time: { hour: 3, minute: 30 } }],
    ['quarter to nine in the morning', { kind: 'datetime', time: { hour: 8, minute: 45, meridiem: 'am' } }],
    ['at noon', { kind: 'datetime', time: { hour: 12, minute: 0, meridiem: 'pm' } }],
    ['', { kind: 'none' }],
    ['purple elephant', { kind: 'none' }],
  ])('interprets "%s"', (text, expected) => {
    expect(step.interpret(text)).toEqual(expected);
  });
});

describe('normalisePhrase', () => {
  it('lower-cases, strips punctuation and spells numbers', () => {
    expect(normalisePhrase('Press 1, or call 0800!', dictionary).words).toEqual(['press', 'one', 'or', 'call', 'zero', 'eight', 'zero', 'zero']);
    expect(normalisePhrase("I'd like 25 tickets", dictionary).words).toEqual(["i'd", 'like', 'twenty', 'five', 'tickets']);
  });

  it('spells unknown acronyms and drops other unknown words, reporting both', () => {
    const n = normalisePhrase('Update my XQZ account on Zorblatt', dictionary);
    expect(n.words).toEqual(['update', 'my', 'x', 'q', 'z', 'account', 'on']);
    expect(n.unknown).toEqual(['xqz', 'zorblatt']);
    expect(n.spelled).toEqual({ xqz: 'x q z' });
  });

  it('reports unknown words and drops phrases with no known word', () => {
    const g = buildGrammar({ intents: { weird: ['Zorblatt Quuxify', 'talk to Zorblatt'] } });
    expect(g.unknownWords.sort()).toEqual(['quuxify', 'zorblatt']);
    expect(g.droppedPhrases).toEqual(['Zorblatt Quuxify']);
    expect(g.jsgf).toContain('<intent0> = talk to;');
  });
});

describe('numbers', () => {
  it('reads and writes 0–9999', () => {
    expect(numberToWords(0)).toEqual(['zero']);
    expect(numberToWords(42)).toEqual(['forty', 'two']);
    expect(numberToWords(305)).toEqual(['three', 'hundred', 'five']);
    expect(numberToWords(2024)).toEqual(['two', 'thousand', 'twenty', 'four']);
    expect(parseNumber(['nine', 'hundred', 'ninety', 'nine'])).toBe(999);
    expect(parseNumber(['blue'])).toBeUndefined();
  });
});

describe('checkJsgf', () => {
  it.each([
    ['garbage', /header/],
    ['#JSGF V1.0;\ngrammar g;\n<u> = yes;\n', /no public rule/],
    ['#JSGF V1.0;\ngrammar g;\npublic <u> = <missing>;\n', /undefined <missing>/],
    ['#JSGF V1.0;\ngrammar g;\npublic <u> = ( /5/ yes | /1/ no );\n', /weight/],
    ['#JSGF V1.0;\ngrammar g;\npublic <u> = ( yes | no ;\n', /unbalanced/],
  ])('rejects %j', (jsgf, problem) => {
    expect(checkJsgf(jsgf)).toMatch(problem);
  });

  it('accepts weights up to 1 and <NULL>', () => {
    expect(checkJsgf('#JSGF V1.0;\ngrammar g;\npublic <u> = ( /0.8/ <NULL> | /0.2/ um ) yes;\n')).toBeUndefined();
  });
});
