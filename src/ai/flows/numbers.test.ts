import { describe, expect, it } from 'vitest';
import { findDigits, findNumber } from './numbers.js';
import { words } from './text.js';

describe('numbers from speech', () => {
  it.each([
    ['twenty five', 25],
    ['it is 42', 42],
    ['one hundred and five', 105],
    ['a hundred', 100],
    ['two thousand twenty five', 2025],
    ['three', 3],
    ['one two', 12],
    ['twelve thirty four', 1234],
    ['nineteen ninety', 1990],
    ['two point five', 2.5],
    ['2.5 please', 2.5],
    ['forty-two', 42],
    ['I need four tickets', 4],
  ])('%s → %s', (text, value) => {
    expect(findNumber(words(text))?.value).toBe(value);
  });

  it('finds nothing where there is no number', () => {
    expect(findNumber(words('no idea'))).toBeUndefined();
  });
});

describe('digit strings from speech', () => {
  it.each([
    ['one two three four', '1234'],
    ['my order number is 1234', '1234'],
    ['five oh seven', '507'],
    ['double five six', '556'],
    ['triple nine', '999'],
    ['twelve thirty four', '1234'],
    ['twenty five eleven', '2511'],
    ['12-34', '1234'],
    ['four five six seven eight nine', '456789'],
    ['it is one two, three four', '1234'],
    ['nothing here', ''],
  ])('%s → %s', (text, digits) => {
    expect(findDigits(words(text))).toBe(digits);
  });
});
