import { describe, expect, it } from 'vitest';
import type { FlowSlot } from '../../contracts/flows.js';
import { parseSlot, parseSlotDtmf } from './slots.js';
import { words } from './text.js';
import { parseYesNo } from './yes-no.js';

const ctx = { now: Date.UTC(2025, 0, 15, 14), timeZone: 'UTC' };
const parse = (slot: FlowSlot, text: string) => parseSlot(slot, words(text), text, ctx);

describe('yes and no', () => {
  it.each([
    ['yes', true], ['yeah', true], ['yep please', true], ["that's right", true], ['sure thing', true], ['of course', true],
    ['correct', true], ['okay', true], ['sounds good', true],
    ['no', false], ['nope', false], ['nah', false], ['not really', false], ["that's not right", false], ['no thank you', false],
    ["I don't think so", false], ['that is wrong', false], ['no, yes', false],
  ])('%s → %s', (text, value) => {
    expect(parseYesNo(words(text))).toBe(value);
  });

  it('finds neither in other answers', () => {
    expect(parseYesNo(words('tomorrow at ten'))).toBeUndefined();
  });
});

describe('slot checks', () => {
  it('holds digit strings to their length', () => {
    expect(parse({ type: 'digits', length: 4 }, 'one two three four')).toEqual({ ok: true, value: '1234' });
    expect(parse({ type: 'digits', length: 4 }, 'one two three').ok).toBe(false);
    expect(parse({ type: 'digits', minLength: 2, maxLength: 3 }, 'one two three four').ok).toBe(false);
  });

  it('holds numbers to their range', () => {
    expect(parse({ type: 'number', min: 1, max: 10 }, 'seven')).toEqual({ ok: true, value: 7 });
    expect(parse({ type: 'number', min: 1, max: 10 }, 'twenty five').ok).toBe(false);
  });

  it('takes free text as said, trimmed and capped', () => {
    expect(parse({ type: 'text', maxLength: 10 }, '  my card was   charged twice ')).toEqual({ ok: true, value: 'my card wa' });
    expect(parse({ type: 'text', maxLength: 10 }, '   ').ok).toBe(false);
  });

  it('never fills a json slot from speech', () => {
    expect(parse({ type: 'json' }, 'anything').ok).toBe(false);
  });

  it('reads keypad input', () => {
    expect(parseSlotDtmf({ type: 'digits', length: 4 }, '1234#')).toEqual({ ok: true, value: '1234' });
    expect(parseSlotDtmf({ type: 'number' }, '42')).toEqual({ ok: true, value: 42 });
    expect(parseSlotDtmf({ type: 'yes_no' }, '1')).toEqual({ ok: true, value: true });
    expect(parseSlotDtmf({ type: 'yes_no' }, '2')).toEqual({ ok: true, value: false });
    expect(parseSlotDtmf({ type: 'yes_no' }, '3').ok).toBe(false);
  });
});
