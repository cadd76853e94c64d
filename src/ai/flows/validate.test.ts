import { describe, expect, it } from 'vitest';
import { jsonPath, validateFlow } from './validate.js';

const en = (text: string) => ({ 'en-US': text });
const base = {
  id: 'demo', name: 'Demo', languages: ['en-US'], start: 'hello',
  slots: { day: { type: 'date' } },
  intents: { yes: { phrases: en('yes') as unknown } },
  steps: { hello: { type: 'say', text: en('Hi.'), next: 'bye' }, bye: { type: 'end' } },
};
const issues = (def: unknown) => {
  const check = validateFlow(def);
  return { errors: check.errors.map((e) => `${e.path} ${e.code}`), warnings: check.warnings.map((w) => `${w.path} ${w.code}`) };
};

describe('validateFlow', () => {
  it('accepts a sound flow', () => {
    const check = validateFlow({ ...base, intents: {} });
    expect(check).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect(check.flow?.settings.intentThreshold).toBe(0.6);
  });

  it('answers schema errors with JSON paths', () => {
    expect(issues({ ...base, intents: {}, steps: { hello: { type: 'say', text: en('Hi.') }, 'Bad Id': { type: 'end' } } }).errors).toEqual([
      '$.steps.hello.next schema.invalid_type',
      '$.steps["Bad Id"] schema.invalid_key',
    ]);
    expect(issues({ ...base, intents: {}, steps: { hello: { type: 'shout' } } }).errors).toEqual(['$.steps.hello.type schema.invalid_union']);
  });

  it('finds unknown step targets, a missing start step, unknown slots, intents and tools', () => {
    const { errors } = issues({
      ...base,
      start: 'nowhere',
      intents: {},
      tools: {},
      steps: {
        hello: { type: 'say', text: en('Hi {{name}}.'), next: 'ask' },
        ask: { type: 'ask', prompt: en('When?'), slot: 'when', intents: ['book'], capture: ['day', 'time'], next: 'route', onNoMatch: 'gone' },
        route: { type: 'branch', cases: [{ when: { slot: 'color', equals: 'red' }, next: 'lookup' }, { when: { intent: 'cancel' }, next: 'x' }], else: 'bye' },
        lookup: { type: 'tool', tool: 'crm_lookup', arguments: { q: '{{who}}' }, result: 'out', next: 'bye' },
        bye: { type: 'end' },
      },
    });
    expect(errors).toEqual([
      '$.start unknown_step',
      '$.steps.hello.text["en-US"] unknown_slot',
      '$.steps.ask.intents[0] unknown_intent',
      '$.steps.ask.slot unknown_slot',
      '$.steps.ask.capture[1] unknown_slot',
      '$.steps.ask.onNoMatch unknown_step',
      '$.steps.route.cases[0].when.slot unknown_slot',
      '$.steps.route.cases[1].when.intent unknown_intent',
      '$.steps.route.cases[1].next unknown_step',
      '$.steps.lookup.tool unknown_tool',
      '$.steps.lookup.arguments.q unknown_slot',
      '$.steps.lookup.result unknown_slot',
    ]);
  });

  it('wants every text and intent in every language of the flow', () => {
    const { errors, warnings } = issues({
      ...base,
      languages: ['en-US', 'es-ES'],
      intents: { book: { phrases: { 'en-US': ['book'] } } },
      steps: {
        hello: { type: 'say', text: { 'en-US': 'Hi.', 'es-ES': 'Hola.', 'fr-FR': 'Salut.' }, next: 'ask' },
        ask: { type: 'ask', prompt: en('Book?'), intents: ['book'], next: 'bye', onNoMatch: 'bye' },
        bye: { type: 'end', text: { 'es-ES': 'Adiós.' } },
      },
    });
    expect(errors).toEqual(['$.intents.book.phrases missing_language', '$.steps.ask.prompt missing_language', '$.steps.bye.text missing_language']);
    expect(warnings).toEqual(['$.steps.hello.text["fr-FR"] unused_language']);
  });

  it('lets phrases leave languages out (built in), but not hold placeholders or languages the flow lacks', () => {
    const { errors, warnings } = issues({
      ...base, intents: {},
      phrases: { noModel: { 'en-US': 'Ask {{day}} again.', 'de-DE': 'Nein.' }, resumed: { 'en-US': 'Back to it.' } },
    });
    expect(errors).toEqual(['$.phrases.noModel["en-US"] placeholder_in_phrase']);
    expect(warnings).toEqual(['$.phrases.noModel["de-DE"] unused_language']);
  });

  it('warns about unreachable steps', () => {
    expect(issues({ ...base, intents: {}, steps: { ...base.steps, orphan: { type: 'end' } } }).warnings).toEqual(['$.steps.orphan unreachable_step']);
  });

  it('refuses loops that never listen, asks that expect nothing, and bad settings', () => {
    const { errors } = issues({
      ...base,
      timeZone: 'Mars/Olympus',
      intents: {},
      slots: { code: { type: 'digits', length: 4, maxLength: 6 }, data: { type: 'json' } },
      steps: {
        hello: { type: 'say', text: en('Hi.'), next: 'check' },
        check: { type: 'branch', cases: [{ when: { slot: 'code', filled: true }, next: 'ask' }], else: 'hello' },
        ask: { type: 'ask', prompt: en('?'), next: 'ask2', onNoMatch: 'bye' },
        ask2: { type: 'ask', prompt: en('?'), slot: 'data', next: 'bye', onNoMatch: 'bye' },
        bye: { type: 'end' },
      },
    });
    expect(errors).toEqual([
      '$.timeZone invalid_time_zone',
      '$.slots.code conflicting_length',
      '$.steps.ask nothing_expected',
      '$.steps.ask2.slot unaskable_slot',
      '$.steps.hello loop_without_input',
    ]);
  });

  it('writes JSON paths', () => {
    expect(jsonPath(['steps', 'a', 'cases', 0, 'next'])).toBe('$.steps.a.cases[0].next');
    expect(jsonPath(['steps', 'a', 'text', 'en-US'])).toBe('$.steps.a.text["en-US"]');
  });
});
