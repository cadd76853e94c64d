import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseToolArguments, toChatTools, toGeminiFunctionDeclarations, toRealtimeTools, toolResultText } from './tools.js';

const book = {
  name: 'book_appointment',
  description: 'Books a slot',
  parameters: z.object({
    day: z.string().describe('ISO date'),
    hour: z.number().int().min(8).max(18),
    kind: z.enum(['visit', 'call']),
    note: z.string().nullable().optional(),
    people: z.array(z.string()).min(1),
  }),
};

describe('tool definitions in each provider format', () => {
  it('OpenAI Realtime and chat tools carry JSON Schema without $schema', () => {
    const [realtime] = toRealtimeTools([book]);
    expect(realtime).toMatchObject({ type: 'function', name: 'book_appointment', description: 'Books a slot' });
    expect(realtime!.parameters).not.toHaveProperty('$schema');
    expect(realtime!.parameters).toMatchObject({
      type: 'object',
      properties: { day: { type: 'string', description: 'ISO date' }, hour: { type: 'integer', minimum: 8, maximum: 18 }, kind: { enum: ['visit', 'call'] } },
      required: ['day', 'hour', 'kind', 'people'],
    });
    expect(toChatTools([book])[0]).toEqual({ type: 'function', function: { name: 'book_appointment', description: 'Books a slot', parameters: realtime!.parameters } });
  });

  it('Gemini functionDeclarations use its Schema: upper-case types, nullable, string counts, no safe-integer noise', () => {
    const [declaration] = toGeminiFunctionDeclarations([book]);
    expect(declaration).toEqual({
      name: 'book_appointment',
      description: 'Books a slot',
      parameters: {
        type: 'OBJECT',
        properties: {
          day: { type: 'STRING', description: 'ISO date' },
          hour: { type: 'INTEGER', minimum: 8, maximum: 18 },
          kind: { type: 'STRING', enum: ['visit', 'call'] },
          note: { type: 'STRING', nullable: true },
          people: { type: 'ARRAY', items: { type: 'STRING' }, minItems: '1' },
        },
        required: ['day', 'hour', 'kind', 'people'],
      },
    });
    const plainInt = toGeminiFunctionDeclarations([{ name: 'n', description: 'd', parameters: z.object({ n: z.number().int() }) }]);
    expect(plainInt[0]!.parameters.properties!.n).toEqual({ type: 'INTEGER' });
  });

  it('parses arguments as objects only and writes results as text', () => {
    expect(parseToolArguments('{"a":1}')).toEqual({ a: 1 });
    expect(parseToolArguments('')).toEqual({});
    expect(parseToolArguments({ b: 2 })).toEqual({ b: 2 });
    expect(parseToolArguments('[1]')).toBeUndefined();
    expect(parseToolArguments('{oops')).toBeUndefined();
    expect(toolResultText('done')).toBe('done');
    expect(toolResultText({ ok: true })).toBe('{"ok":true}');
    expect(toolResultText(undefined)).toBe('null');
  });
});
