import { describe, expect, it } from 'vitest';
import { heardText } from './heard-text.js';

describe('heardText: what the caller heard of a cut agent turn', () => {
  const text = 'Your order shipped on Monday and arrives Friday.';
  it('keeps all when everything was heard and nothing when nothing was', () => {
    expect(heardText(text, 2000, 2000)).toBe(text);
    expect(heardText(text, 0, 2000)).toBe('');
  });
  it('cuts in proportion, never inside a word', () => {
    expect(heardText(text, 1000, 2000)).toBe('Your order shipped on');
    expect(heardText(text, 250, 2000)).toBe('Your');
    expect(text.startsWith(heardText(text, 1234, 2000))).toBe(true);
  });
});
