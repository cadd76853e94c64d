import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ChatMessage, LanguageModelChunk } from '../../src/ai/cascade/stages.js';
import { OpenAiCompatibleChat, OpenAiSpeech } from '../../src/ai/openai-compatible/index.js';
import { FakeOpenAiCompatible } from '../fakes/ai/openai-compatible-server.js';

let fake: FakeOpenAiCompatible;
afterEach(async () => fake?.close());

const lookupOrder = { name: 'lookup_order', description: 'Find an order', parameters: z.object({ orderId: z.string() }) };
const script = { greeting: 'Welcome.', turns: [{ caller: 'Where is my order', agent: 'Let me check.', tool: { name: 'lookup_order', arguments: { orderId: '42' } }, afterTool: 'It shipped.' }] };

async function all(chat: OpenAiCompatibleChat, messages: ChatMessage[], tools = [lookupOrder]): Promise<LanguageModelChunk[]> {
  const chunks: LanguageModelChunk[] = [];
  for await (const chunk of chat.generate({ messages, tools })) chunks.push(chunk);
  return chunks;
}

describe('OpenAI-compatible chat completions (streaming SSE) against the fake', () => {
  it('streams text deltas and assembles a tool call from its fragments', async () => {
    fake = await new FakeOpenAiCompatible({ apiKey: 'sk-test', script }).start();
    const chat = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'llama3.1' });
    const chunks = await all(chat, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Where is my order' }]);
    expect(chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('')).toBe('Let me check.');
    expect(chunks.filter((c) => c.type === 'text').length).toBe(3);
    expect(chunks.at(-1)).toEqual({ type: 'tool_call', call: { callId: expect.stringMatching(/^call_/), name: 'lookup_order', arguments: '{"orderId":"42"}' } });
    expect(fake.chatRequests[0]).toMatchObject({
      model: 'llama3.1',
      stream: true,
      tools: [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } } }],
    });
  });

  it('sends the tool round trip back in the chat format', async () => {
    fake = await new FakeOpenAiCompatible({ script }).start();
    const chat = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, model: 'm' });
    const chunks = await all(chat, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is my order' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ callId: 'call_1', name: 'lookup_order', arguments: '{"orderId":"42"}' }] },
      { role: 'tool', callId: 'call_1', content: '{"status":"shipped"}' },
    ]);
    expect(chunks.map((c) => (c.type === 'text' ? c.text : '')).join('')).toBe('It shipped.');
    expect(fake.chatRequests[0]!.messages.slice(2)).toEqual([
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":"42"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
    ]);
    expect(fake.chatRequests[0]!.tools).toBeDefined();
  });


  it('sends the history a session grows turn by turn, a replaced message as it is now', async () => {
    fake = await new FakeOpenAiCompatible({ script }).start();
    const chat = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, model: 'm' });
    const history: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi there. How can I help?' }];
    await all(chat, history, []);
    // A barge-in rewrote the agent's answer to what was heard (a new object), and the caller went on.
    history[2] = { role: 'assistant', content: 'Hi there.' };
    history.push({ role: 'user', content: 'Where is my order' });
    await all(chat, history, []);
    expect(fake.chatRequests.map((r) => r.messages)).toEqual([
      [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi there. How can I help?' }],
      [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi there.' }, { role: 'user', content: 'Where is my order' }],
    ]);
  });
  it('429 → retryable rate_limited; bad key → auth_failed; error event in the stream → provider_error', async () => {
    fake = await new FakeOpenAiCompatible({ apiKey: 'sk-test', script }).start();
    const bad = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, apiKey: 'nope', model: 'm' });
    expect(await all(bad, [{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    const chat = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'm' });
    fake.faults = { rejectStatus: 429 };
    expect(await all(chat, [{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)).toMatchObject({ code: 'rate_limited', retryable: true });
    fake.faults = { errorEvent: true };
    expect(await all(chat, [{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)).toMatchObject({ code: 'provider_error', retryable: true });
  });

  it('a stream broken off mid-answer rejects with connection_lost; a slow first byte times out', async () => {
    fake = await new FakeOpenAiCompatible({ script }).start();
    fake.faults = { closeMidResponse: true };
    const chat = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, model: 'm', timeoutMs: 200 });
    expect(await all(chat, [{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)).toMatchObject({ code: 'connection_lost', retryable: true });
    fake.faults = { delayMs: 1000 };
    expect(await all(chat, [{ role: 'user', content: 'hi' }]).catch((e: unknown) => e)).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('counts malformed chunks and keeps the good ones', async () => {
    fake = await new FakeOpenAiCompatible({ script }).start();
    fake.faults = { malformed: true };
    const rejected: string[] = [];
    const chat = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, model: 'm' }, { onRejectedInput: (_s, reason) => rejected.push(reason) });
    const chunks = await all(chat, [{ role: 'user', content: 'Where is my order' }]);
    expect(chunks.map((c) => (c.type === 'text' ? c.text : '')).join('')).toBe('Let me check.');
    expect(chunks.some((c) => c.type === 'tool_call')).toBe(true);
    expect(new Set(rejected)).toEqual(new Set(['invalid_chunk', 'invalid_json']));
  });
});

describe('OpenAI speech (/v1/audio/speech) against the fake', () => {
  it('streams 24 kHz PCM', async () => {
    fake = await new FakeOpenAiCompatible().start();
    const speech = await new OpenAiSpeech({ baseUrl: fake.baseUrl, voice: 'coral' }).synthesize('Hello there.', {});
    expect(speech.format).toEqual({ encoding: 'pcm16', sampleRate: 24000 });
    let bytes = 0;
    for await (const chunk of speech.chunks) bytes += chunk.length;
    expect(bytes).toBe(200 * 48);
    expect(fake.speechRequests[0]).toEqual({ model: 'gpt-4o-mini-tts', input: 'Hello there.', voice: 'coral', response_format: 'pcm' });
  });
});
