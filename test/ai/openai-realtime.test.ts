import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AiError } from '../../src/ai/errors.js';
import { OpenAiRealtimeSession } from '../../src/ai/openai-realtime/index.js';
import type { AiSessionOptions } from '../../src/ai/session.js';
import { callerFrames, sleep } from '../fakes/ai/audio.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { feed, orderedEvents, record } from './support.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const lookupOrder = { name: 'lookup_order', description: 'Find an order by id', parameters: z.object({ orderId: z.string() }) };

let fake: FakeOpenAiRealtime;
let session: OpenAiRealtimeSession | undefined;

async function open(fakeOptions: ConstructorParameters<typeof FakeOpenAiRealtime>[0] = {}, options: Partial<AiSessionOptions> = {}, hooks = {}) {
  fake = await new FakeOpenAiRealtime(fakeOptions).start();
  session = new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fake.url }, hooks);
  const events = record(session);
  await session.start({ instructions: 'Be brief.', inputFormat: MULAW, ...options });
  return { session, events };
}

afterEach(async () => {
  await session?.close();
  session = undefined;
  await fake?.close();
});

describe('OpenAI Realtime against the fake GA server', () => {
  it('configures a phone call with μ-law in and out, server VAD, transcription and tools', async () => {
    await open({}, { tools: [lookupOrder], voice: 'marin', language: 'en-US' });
    const update = fake.sent('session.update')[0]!;
    expect(update.session).toMatchObject({
      type: 'realtime',
      model: 'gpt-realtime',
      output_modalities: ['audio'],
      instructions: 'Be brief.',
      audio: {
        input: { format: { type: 'audio/pcmu' }, turn_detection: { type: 'server_vad', silence_duration_ms: 500 }, transcription: { language: 'en' } },
        output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
      },
      tools: [{ type: 'function', name: 'lookup_order', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } }],
    });
  });

  it('passes μ-law through untouched and answers with transcripts and μ-law audio, in the contract order', async () => {
    const { session, events } = await open();
    const frames = callerFrames(MULAW);
    await feed(session, frames);
    await events.next('turn_end');
    const appended = Buffer.concat(fake.sent('input_audio_buffer.append').map((e) => Buffer.from(e.audio, 'base64')));
    expect(appended.equals(Buffer.concat(frames))).toBe(true);
    expect(orderedEvents(events.events)).toEqual(['speech_started', 'speech_stopped', 'transcript:caller:final', 'transcript:agent:final', 'turn_end:completed']);
    const caller = events.of('transcript').find((t) => t.speaker === 'caller' && t.final)!;
    expect(caller).toMatchObject({ text: 'Hello there', startMs: 0 });
    expect(caller.endMs).toBeGreaterThan(500);
    const audio = events.of('audio');
    expect(audio.length).toBeGreaterThan(0);
    expect(audio[0]!.format).toEqual(MULAW);
    expect(events.of('transcript').find((t) => t.speaker === 'agent' && t.final)).toMatchObject({ text: 'Hi! How can I help you today?', audioMs: 300 });
  });

  it('speaks 24 kHz PCM on the wire for a 16 kHz PCM leg and converts both ways', async () => {
    const pcm16k = { encoding: 'pcm16', sampleRate: 16000 } as const;
    const { session, events } = await open({}, { inputFormat: pcm16k });
    expect(fake.sent('session.update')[0]!.session).toMatchObject({ audio: { input: { format: { type: 'audio/pcm', rate: 24000 } }, output: { format: { type: 'audio/pcm' } } } });
    await feed(session, callerFrames(pcm16k));
    await events.next('turn_end');
    const audio = events.of('audio');
    expect(audio[0]!.format).toEqual(pcm16k);
    const bytes = audio.reduce((n, a) => n + a.data.length, 0);
    expect(bytes).toBeGreaterThan(300 * 32 - 200); // ≈ 300 ms of 16 kHz PCM16
  });

  it('round-trips a tool call: function_call item → tool_call → function_call_output + response.create → answer', async () => {
    const { session, events } = await open(
      { script: { turns: [{ caller: 'Where is my order', tool: { name: 'lookup_order', arguments: { orderId: '42' } }, afterTool: 'It shipped today.' }] } },
      { tools: [lookupOrder] },
    );
    await feed(session, callerFrames(MULAW));
    const call = await events.next('tool_call');
    expect(call).toMatchObject({ name: 'lookup_order', arguments: { orderId: '42' } });
    session.sendToolResult(call.callId, { status: 'shipped' });
    await events.next('turn_end', (e) => e.reason === 'completed');
    const output = fake.sent('conversation.item.create').map((e) => e.item).find((i) => i.type === 'function_call_output');
    expect(output).toEqual({ type: 'function_call_output', call_id: call.callId, output: '{"status":"shipped"}' });
    expect(orderedEvents(events.events)).toEqual([
      'speech_started', 'speech_stopped', 'transcript:caller:final', 'tool_call:lookup_order', 'turn_end:tool_call', 'transcript:agent:final', 'turn_end:completed',
    ]);
    expect(events.of('transcript').filter((t) => t.speaker === 'agent' && t.final).map((t) => t.text)).toEqual(['It shipped today.']);
  });

  it('barge-in: speech_started while the agent talks → interrupted; interrupt(heardMs) truncates at exactly that ms', async () => {
    const long = 'This is a long answer that goes on and on so that the caller has time to talk over it.';
    const { session, events } = await open({ realtime: true, msPerChar: 30, script: { turns: [{ caller: 'Hi', agent: long }, { caller: 'Stop', agent: 'Sure.' }] } });
    await feed(session, callerFrames(MULAW));
    await events.nth('audio', 3, 5000);
    void feed(session, callerFrames(MULAW), 5);
    const cut = await events.next('interrupted');
    session.interrupt(300);
    await events.next('turn_end', (e) => e.reason === 'interrupted');
    await sleep(100);
    expect(fake.truncates).toEqual([{ item_id: expect.stringMatching(/^item_/), audio_end_ms: 300 }]);
    const firstAudioItem = fake.received.find((e) => e.type === 'conversation.item.truncate');
    expect(firstAudioItem).toMatchObject({ content_index: 0, audio_end_ms: 300 });
    const final = events.of('transcript').find((t) => t.speaker === 'agent' && t.final)!;
    expect(final).toMatchObject({ responseId: cut.responseId, truncated: true, audioMs: 300 });
    expect(long.startsWith(final.text)).toBe(true);
    expect(final.text.length).toBeLessThan(long.length);
    await events.next('turn_end', (e) => e.reason === 'completed');
    expect(orderedEvents(events.events)).toEqual([
      'speech_started', 'speech_stopped', 'transcript:caller:final',
      'speech_started', 'interrupted', 'transcript:agent:final:truncated', 'turn_end:interrupted',
      'speech_stopped', 'transcript:caller:final', 'transcript:agent:final', 'turn_end:completed',
    ]);
  });

  it('interrupt after the response finished (still playing at the carrier) truncates and revises the final', async () => {
    const { session, events } = await open();
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    session.interrupt(120);
    await sleep(100);
    expect(fake.truncates).toEqual([{ item_id: expect.any(String), audio_end_ms: 120 }]);
    expect(fake.sent('response.cancel')).toHaveLength(0);
    const finals = events.of('transcript').filter((t) => t.speaker === 'agent' && t.final);
    expect(finals.map((f) => f.truncated ?? false)).toEqual([false, true]);
    expect(finals[1]!.responseId).toBe(finals[0]!.responseId);
    expect(events.of('turn_end')).toHaveLength(1);
  });

  it('keeps the order when the caller transcript arrives after the answer', async () => {
    const { session, events } = await open({ transcriptDelayMs: 400 });
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end', undefined, 3000);
    expect(orderedEvents(events.events)).toEqual(['speech_started', 'speech_stopped', 'transcript:caller:final', 'transcript:agent:final', 'turn_end:completed']);
  });

  it('seeds the conversation so far and can speak first', async () => {
    const { events } = await open({}, {
      speakFirst: true,
      history: [
        { role: 'caller', text: 'I called before' },
        { role: 'agent', text: 'Welcome back' },
        { role: 'tool', callId: 'c1', name: 'lookup_order', arguments: { orderId: '7' }, result: { status: 'late' } },
      ],
    });
    await events.next('turn_end');
    expect(fake.sent('conversation.item.create').map((e) => e.item)).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'I called before' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Welcome back' }] },
      { type: 'function_call', call_id: 'c1', name: 'lookup_order', arguments: '{"orderId":"7"}' },
      { type: 'function_call_output', call_id: 'c1', output: '{"status":"late"}' },
    ]);
    // The seeded caller turn is the last word: speaking first answers it.
    expect(events.of('transcript').find((t) => t.final)?.text).toBe('Hi! How can I help you today?');
  });

  it('speaks first with a greeting on a fresh conversation', async () => {
    const { events } = await open({}, { speakFirst: true });
    await events.next('turn_end');
    expect(fake.sent('response.create')).toHaveLength(1);
    expect(orderedEvents(events.events)).toEqual(['transcript:agent:final', 'turn_end:completed']);
    expect(events.of('transcript').find((t) => t.final)?.text).toBe('Hello, thanks for calling.');
  });

  it('warns going_away ahead of the session length cap', async () => {
    fake = await new FakeOpenAiRealtime().start();
    session = new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fake.url, sessionLimitMs: 300, goingAwayLeadMs: 200 });
    const events = record(session);
    await session.start({ instructions: '', inputFormat: MULAW });
    expect(await events.next('going_away', undefined, 1000)).toEqual({ type: 'going_away', timeLeftMs: 200 });
  });

  it('answers typed text like speech', async () => {
    const { session, events } = await open();
    session.sendText('Hello there');
    await events.next('turn_end');
    expect(orderedEvents(events.events)).toEqual(['transcript:caller:final', 'transcript:agent:final', 'turn_end:completed']);
  });

  it('counts and ignores malformed events, and goes on', async () => {
    const rejected: string[] = [];
    const { session, events } = await open({}, {}, { onRejectedInput: (_source: string, reason: string) => rejected.push(reason) });
    fake.faults.malformed = true;
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    expect(session.stats.rejected).toBeGreaterThan(10);
    expect(rejected).toContain('invalid_json');
    expect(rejected).toContain('not_an_object');
    expect(rejected).toContain('invalid_response.output_audio.delta');
    expect(rejected.every((r) => r === 'not_an_object' || r.startsWith('invalid_'))).toBe(true);
    expect(events.of('error')).toHaveLength(0);
  });
});

describe('OpenAI Realtime failures', () => {
  it('a refused key is a non-retryable auth error; 429 is retryable', async () => {
    fake = await new FakeOpenAiRealtime({ apiKey: 'other' }).start();
    const denied = new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fake.url });
    const error = await denied.start({ instructions: '', inputFormat: MULAW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiError);
    expect(error).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    fake.faults.rejectStatus = 429;
    const limited = await new OpenAiRealtimeSession({ apiKey: 'other', baseUrl: fake.url }).start({ instructions: '', inputFormat: MULAW }).catch((e: unknown) => e);
    expect(limited).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('a socket closed mid-response → retryable connection_lost, then closed', async () => {
    const { session, events } = await open();
    fake.faults.closeMidResponse = true;
    await feed(session, callerFrames(MULAW));
    const error = await events.next('error');
    expect(error.error).toMatchObject({ code: 'connection_lost', retryable: true });
    expect(await events.next('closed')).toMatchObject({ reason: 'connection_lost' });
  });

  it('a provider error event surfaces as a retryable error; a silent provider times start out', async () => {
    const { session, events } = await open();
    fake.faults.errorEvent = true;
    await feed(session, callerFrames(MULAW));
    expect((await events.next('error')).error).toMatchObject({ code: 'provider_error', retryable: true });
    fake.faults = { silent: true };
    const silent = new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fake.url, readyTimeoutMs: 300 });
    const startError = await silent.start({ instructions: '', inputFormat: MULAW }).catch((e: unknown) => e);
    // session.created still comes; session.updated never does.
    expect(startError).toMatchObject({ code: 'timeout', retryable: true });
  });
});
