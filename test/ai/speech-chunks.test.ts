import { describe, expect, it } from 'vitest';
import { SpeechCache } from '../../src/ai/agents/speech-cache.js';
import { speechChunks } from '../../src/ai/agents/speech-chunks.js';

describe('speechChunks', () => {
  it('cuts sentences, and the first sentence at a clause boundary when both halves stand alone', () => {
    expect(speechChunks('What day and time would suit you? For example: tomorrow at ten.'))
      .toEqual(['What day and time would suit you?', 'For example: tomorrow at ten.']);
    expect(speechChunks('Hello, thanks for calling. This is the automated booking line.'))
      .toEqual(['Hello, thanks for calling.', 'This is the automated booking line.']);
    expect(speechChunks('I have you down for Thursday, January 16 at 10 AM. Shall I book it?'))
      .toEqual(['I have you down for Thursday,', 'January 16 at 10 AM.', 'Shall I book it?']);
    expect(speechChunks('Booked for 10.30 AM')).toEqual(['Booked for 10.30 AM']);
    expect(speechChunks('yes')).toEqual(['yes']);
    expect(speechChunks('  ')).toEqual([]);
  });
});

describe('SpeechCache', () => {
  it('makes a text once, keeps no failures', async () => {
    const cache = new SpeechCache();
    let made = 0;
    const audio = new Uint8Array([1]);
    await cache.get('a', async () => { made++; return audio; });
    expect(await cache.get('a', async () => { made++; return null; })).toBe(audio);
    expect(made).toBe(1);
    await cache.get('b', async () => null);
    expect(await cache.get('b', async () => audio)).toBe(audio);
  });
});
