import { describe, expect, it } from 'vitest';
import { locatePath, parseDefinition, stepsIn } from './flow-text';

const TEXT = JSON.stringify({ start: 'greet', languages: ['en-US'], steps: { next: { type: 'say', next: 'greet' }, greet: { type: 'say', next: 'nowhere' } } }, null, 2);

describe('flow editor text', () => {
  it('finds the line a JSON path points at, key after key', () => {
    const range = locatePath(TEXT, '$.steps.greet.next');
    expect(TEXT.slice(range!.start, range!.end)).toBe('"next": "nowhere"');
    expect(TEXT.slice(locatePath(TEXT, '$.languages[0]')!.start).startsWith('"languages"')).toBe(true);
    expect(locatePath(TEXT, '$.nothing')).toBeNull();
  });

  it('parses or says where the JSON breaks, and names the steps of issue paths', () => {
    expect(parseDefinition('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseDefinition('{"a":')).toMatchObject({ ok: false });
    expect([...stepsIn(['$.steps.greet.next', '$.start', '$.steps.ask_day'])]).toEqual(['greet', 'ask_day']);
  });
});
