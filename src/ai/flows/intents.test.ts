import { describe, expect, it } from 'vitest';
import { matchIntent, phraseScore, scoreIntents } from './intents.js';
import { words } from './text.js';

const candidates = [
  { name: 'book', phrases: ['book an appointment', 'make an appointment'], keywords: ['appointment'] },
  { name: 'cancel', phrases: ['cancel my appointment', 'cancel a booking'], keywords: ['cancel'] },
  { name: 'agent', phrases: ['speak to a person'], keywords: ['agent', 'operator'] },
];

describe('intent matching', () => {
  it.each([
    ['book an appointment', 'book', 1],
    ['I would like to book an appointment', 'book', 0.95],
    ["I'd like to book an appointment tomorrow at ten", 'book', 0.95],
    ['cancel my appointment please', 'cancel', 0.95],
    ['can I speak to a person', 'agent', 0.95],
    ['operator', 'agent', 0.85],
  ])('%s → %s (%s)', (text, intent, score) => {
    const match = matchIntent(words(text), candidates, 0.6);
    expect(match?.intent).toBe(intent);
    expect(match?.score).toBeCloseTo(score, 5);
  });

  it('matches close wordings with a lower score', () => {
    const match = matchIntent(words('I want to make appointments'), candidates, 0.6);
    expect(match?.intent).toBe('book');
    expect(match!.score).toBeGreaterThan(0.6);
    expect(match!.score).toBeLessThan(0.95);
  });

  it('tolerates a misheard word', () => {
    expect(phraseScore(words('book an apointment'), 'book an appointment')).toBeGreaterThan(0.7);
  });

  it('answers nothing below the threshold', () => {
    expect(matchIntent(words('what is the weather like'), candidates, 0.6)).toBeUndefined();
  });

  it('scores every candidate, best first', () => {
    const scored = scoreIntents(words('cancel my appointment'), candidates);
    expect(scored.map((s) => s.intent)).toEqual(['cancel', 'book', 'agent']);
  });
});
