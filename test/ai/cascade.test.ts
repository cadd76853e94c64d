import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CascadeSession } from '../../src/ai/cascade/index.js';
import { DeepgramSpeechToText, DeepgramTextToSpeech } from '../../src/ai/deepgram/index.js';
import { OpenAiCompatibleChat, OpenAiSpeech } from '../../src/ai/openai-compatible/index.js';
import type { AiSessionOptions } from '../../src/ai/session.js';
import { callerFrames, sleep } from '../fakes/ai/audio.js';
import { FakeDeepgram } from '../fakes/ai/deepgram-server.js';
import { FakeOpenAiCompatible } from '../fakes/ai/openai-compatible-server.js';
import type { ConversationScript } from '../fakes/ai/script.js';
import { feed, orderedEvents, record } from './support.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const lookupOrder = { name: 'lookup_order', description: 'Find an order by id', parameters: z.object({ orderId: z.string() }) };

let deepgram: FakeDeepgram;
let chat: FakeOpenAiCompatible;
let session: CascadeSession | undefined;

async function open(script: ConversationScript, options: Partial<AiSessionOptions> = {}, tts: 'aura' | 'openai' = 'aura', realtime = false) {
  deepgram = await new FakeDeepgram({ script, realtime, msPerChar: realtime ? 30 : 10 }).start();
  chat = await new FakeOpenAiCompatible({ script }).start();
  session = new CascadeSession({
    stt: new DeepgramSpeechToText({ apiKey: 'test-key', baseUrl: deepgram.listenUrl }),
    llm: new OpenAiCompatibleChat({ baseUrl: chat.baseUrl, model: 'test-model' }),
    tts: tts === 'aura' ? new DeepgramTextToSpeech({ apiKey: 'test-key', baseUrl: deepgram.speakUrl }) : new OpenAiSpeech({ baseUrl: chat.baseUrl }),
  });
  const events = record(session);
  await session.start({ instructions: 'Be brief.', inputFormat: MULAW, ...options });
  return { session, events };
}

afterEach(async () => {
  await session?.close();
  session = undefined;
  await deepgram?.close();
  await chat?.close();
});

describe('cascade: Deepgram STT → OpenAI-compatible LLM → TTS', () => {
  it('speaks sentence by sentence as the text streams, μ-law straight from Aura', async () => {
    const { session, events } = await open({ turns: [{ caller: 'Hello there', agent: 'Hi there. I can help with orders. What do you need?' }] });
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    expect(deepgram.speakRequests.map((r) => r.text)).toEqual(['Hi there.', 'I can help with orders.', 'What do you need?']);
    expect(chat.chatRequests[0]!.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello there' }]);
    const partials = events.of('transcript').filter((t) => t.speaker === 'agent' && !t.final).map((t) => t.text);
    expect(partials).toEqual(['Hi there.', 'Hi there. I can help with orders.', 'Hi there. I can help with orders. What do you need?']);
    expect(events.of('audio').every((a) => a.format.encoding === 'mulaw')).toBe(true);
    // The next turn carries the conversation.
    await feed(session, callerFrames(MULAW));
    await events.nth('turn_end', 1);
    expect(chat.chatRequests[1]!.messages.slice(1)).toEqual([
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: 'Hi there. I can help with orders. What do you need?' },
      { role: 'user', content: 'Hello there' },
    ]);
  });

  it('converts OpenAI speech (24 kHz PCM) to the μ-law leg', async () => {
    const { session, events } = await open({ turns: [{ caller: 'Hello there', agent: 'Hi.' }] }, {}, 'openai');
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    const bytes = events.of('audio').reduce((n, a) => n + a.data.length, 0);
    expect(events.of('audio')[0]!.format).toEqual(MULAW);
    expect(Math.abs(bytes - 200 * 8)).toBeLessThan(40);
  });

  it('a tool call after a spoken preamble: tool_call, the preamble as final, turn_end tool_call', async () => {
    const { session, events } = await open(
      { turns: [{ caller: 'Where is my order', agent: 'Let me check.', tool: { name: 'lookup_order', arguments: { orderId: '42' } }, afterTool: 'It shipped.' }] },
      { tools: [lookupOrder] },
    );
    session.on('tool_call', (call) => session.sendToolResult(call.callId, { status: 'shipped' }));
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end', (e) => e.reason === 'completed');
    expect(orderedEvents(events.events)).toEqual([
      'speech_started', 'speech_stopped', 'transcript:caller:final', 'tool_call:lookup_order', 'transcript:agent:final', 'turn_end:tool_call', 'transcript:agent:final', 'turn_end:completed',
    ]);
    expect(chat.chatRequests[1]!.messages.slice(2)).toEqual([
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: expect.any(String), type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":"42"}' } }] },
      { role: 'tool', tool_call_id: expect.any(String), content: '{"status":"shipped"}' },
    ]);
  });

  it('interrupt after the answer finished keeps only what was heard, in the transcript and for the model', async () => {
    const { session, events } = await open({ turns: [{ caller: 'Hello there', agent: 'First sentence here. Second sentence here.' }] });
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    const full = events.of('transcript').find((t) => t.speaker === 'agent' && t.final)!;
    session.interrupt(full.audioMs! / 2 + 10);
    const revised = events.of('transcript').filter((t) => t.speaker === 'agent' && t.final)[1]!;
    expect(revised).toMatchObject({ truncated: true, text: 'First sentence here.', responseId: full.responseId });
    await feed(session, callerFrames(MULAW));
    await events.nth('turn_end', 1);
    expect(chat.chatRequests[1]!.messages[2]).toEqual({ role: 'assistant', content: 'First sentence here.' });
  });

  it('seeds the model with the conversation so far and speaks first', async () => {
    const { events } = await open({ greeting: 'Welcome back.', turns: [] }, {
      speakFirst: true,
      history: [{ role: 'agent', text: 'Earlier answer' }, { role: 'tool', callId: 'c1', name: 'lookup_order', arguments: { orderId: '1' }, result: 'late' }],
    });
    await events.next('turn_end');
    expect(chat.chatRequests[0]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":"1"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'late' },
    ]);
    expect(events.of('transcript').find((t) => t.final)?.text).toBe('Welcome back.');
  });

  it('a rate-limited model is a retryable error; the turn still ends and the session goes on', async () => {
    const { session, events } = await open({ turns: [{ caller: 'Hello there', agent: 'Hi.' }] });
    chat.faults = { rejectStatus: 429 };
    await feed(session, callerFrames(MULAW));
    expect((await events.next('error')).error).toMatchObject({ code: 'rate_limited', retryable: true });
    await events.next('turn_end');
    chat.faults = {};
    await feed(session, callerFrames(MULAW));
    await events.nth('turn_end', 1);
    expect(events.of('transcript').filter((t) => t.speaker === 'agent' && t.final).map((t) => t.text)).toEqual(['Hi.']);
  });

  it('a speech synthesis failure is a retryable error', async () => {
    const { session, events } = await open({ turns: [{ caller: 'Hello there', agent: 'Hi.' }] });
    deepgram.speakFaults = { rejectStatus: 503 };
    await feed(session, callerFrames(MULAW));
    expect((await events.next('error')).error).toMatchObject({ code: 'provider_error', retryable: true, status: 503 });
    await events.next('turn_end');
  });

  it('the recognizer socket dying ends the session: error, then closed', async () => {
    const { events } = await open({ turns: [{ caller: 'Hello there', agent: 'Hi.' }] });
    for (const ws of (deepgram as unknown as { server: { wss: { clients: Set<{ terminate(): void }> } } }).server.wss.clients) ws.terminate();
    expect((await events.next('error')).error).toMatchObject({ code: 'connection_lost', retryable: true });
    expect(await events.next('closed')).toMatchObject({ reason: 'stt_connection_lost' });
    await sleep(10);
  });
});
