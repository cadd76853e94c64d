import { describe, expect, it } from 'vitest';
import { SentenceSplitter } from './sentences.js';

function split(deltas: string[]): string[] {
  const splitter = new SentenceSplitter();
  return [...deltas.flatMap((d) => splitter.push(d)), ...splitter.flush()];
}

describe('SentenceSplitter', () => {
  it('emits each sentence once its end is followed by more text, the rest at the end', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('Hello the')).toEqual([]);
    expect(splitter.push('re. How')).toEqual(['Hello there.']);
    expect(splitter.push(' are you? Fine')).toEqual(['How are you?']);
    expect(splitter.flush()).toEqual(['Fine']);
  });

  it('does not split abbreviations, initials or numbers', () => {
    expect(split(['Dr. Smith sees you at 3.', '30 on Monday, e.g. tomorrow. J. R. will call.'])).toEqual([
      'Dr. Smith sees you at 3.30 on Monday, e.g. tomorrow.',
      'J. R. will call.',
    ]);
  });

  it('splits on line breaks and cuts long runs at a comma', () => {
    expect(split(['First line\nSecond line'])).toEqual(['First line', 'Second line']);
    const long = `${'word '.repeat(30)}, ${'more '.repeat(30)}`;
    const parts = new SentenceSplitter(100).push(long);
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((p) => p.length <= 101)).toBe(true);
  });
});

describe('SentenceSplitter at chunk ends', () => {
  it('ends a sentence when a chunk ends with its punctuation, without waiting for the next token', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('Hi!')).toEqual(['Hi!']);
    expect(splitter.push(' How can I help')).toEqual([]);
    expect(splitter.push(' you today?')).toEqual(['How can I help you today?']);
    expect(splitter.push(' Sure.')).toEqual(['Sure.']);
  });

  it('waits after a number, an abbreviation or an initial, and drops what has no sound', () => {
    expect(split(['It is 3.', '30 now. Ask Dr.', ' Smith.', '..', ' Or J.', ' R. What?', '!'])).toEqual([
      'It is 3.30 now.',
      'Ask Dr. Smith.',
      'Or J. R. What?',
    ]);
  });
});
