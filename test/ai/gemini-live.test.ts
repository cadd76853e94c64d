import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GeminiLiveSession } from '../../src/ai/gemini-live/index.js';
import type { AiSessionOptions } from '../../src/ai/session.js';
import { mulawToPcm16, pcm16leToInt16 } from '../../src/media/index.js';
import { callerFrames, sleep } from '../fakes/ai/audio.js';
import { FakeGeminiLive } from '../fakes/ai/gemini-live-server.js';
import { feed, orderedEvents, record } from './support.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const lookupOrder = { name: 'lookup_order', description: 'Find an order by id', parameters: z.object({ orderId: z.string().describe('Order number') }) };

let fake: FakeGeminiLive;
let session: GeminiLiveSession | undefined;

async function open(fakeOptions: ConstructorParameters<typeof FakeGeminiLive>[0] = {}, options: Partial<AiSessionOptions> = {}, config = {}) {
  fake = await new FakeGeminiLive(fakeOptions).start();
  session = new GeminiLiveSession({ apiKey: 'test-key', baseUrl: fake.url, ...config });
  const events = record(session);
  await session.start({ instructions: 'Be brief.', inputFormat: MULAW, ...options });
  return { session, events };
}

afterEach(async () => {
  await session?.close();
  session = undefined;
  await fake?.close();
});

describe('Gemini Live against the fake BidiGenerateContent server', () => {
  it('sends setup first and waits for setupComplete', async () => {
    await open({}, { tools: [lookupOrder], voice: 'Puck', language: 'en-US' });
    expect(fake.received[0]).toEqual({
      setup: {
        model: 'models/gemini-live-2.5-flash-preview',
        generationConfig: { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } }, languageCode: 'en-US' } },
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        realtimeInputConfig: { automaticActivityDetection: { disabled: false }, activityHandling: 'START_OF_ACTIVITY_INTERRUPTS' },
        inputAudioTranscription: {},
        outputAudioTranscription: {},
        sessionResumption: {},
        tools: [{ functionDeclarations: [{ name: 'lookup_order', description: 'Find an order by id', parameters: { type: 'OBJECT', properties: { orderId: { type: 'STRING', description: 'Order number' } }, required: ['orderId'] } }] }],
      },
    });
  });

  it('sends 16 kHz PCM, answers in the leg format (μ-law 8 kHz) with transcripts, in the contract order', async () => {
    const { session, events } = await open();
    const frames = callerFrames(MULAW);
    await feed(session, frames);
    await events.next('turn_end');
    const chunks = fake.received.flatMap((m) => (m.realtimeInput?.audio ? [m.realtimeInput.audio] : []));
    expect(new Set(chunks.map((c) => c.mimeType))).toEqual(new Set(['audio/pcm;rate=16000']));
    const samples = chunks.reduce((n, c) => n + Buffer.from(c.data!, 'base64').length / 2, 0);
    expect(samples).toBe(frames.length * 320);
    expect(orderedEvents(events.events)).toEqual(['speech_started', 'speech_stopped', 'transcript:caller:final', 'transcript:agent:final', 'turn_end:completed']);
    expect(events.of('transcript').find((t) => t.speaker === 'caller' && t.final)).toMatchObject({ text: 'Hello there', startMs: 0 });
    const audio = events.of('audio');
    expect(audio[0]!.format).toEqual(MULAW);
    const bytes = audio.reduce((n, a) => n + a.data.length, 0);
    expect(Math.abs(bytes - 300 * 8)).toBeLessThan(40); // 300 ms at 8 kHz, ± resampler edge
    // The tone survives 24 kHz → 8 kHz μ-law: loud, not silence.
    const pcm = mulawToPcm16(audio[1]!.data);
    expect(Math.max(...pcm)).toBeGreaterThan(5000);
  });

  it('gives 24 kHz PCM straight through to a 24 kHz PCM leg', async () => {
    const pcm24 = { encoding: 'pcm16', sampleRate: 24000 } as const;
    const { session, events } = await open({}, { inputFormat: pcm24 });
    await feed(session, callerFrames(pcm24));
    await events.next('turn_end');
    const audio = events.of('audio');
    expect(audio[0]!.format).toEqual(pcm24);
    expect(audio.reduce((n, a) => n + pcm16leToInt16(a.data).length, 0)).toBe(300 * 24);
  });

  it('round-trips a tool call: toolCall.functionCalls → tool_call → toolResponse → answer', async () => {
    const { session, events } = await open(
      { script: { turns: [{ caller: 'Where is my order', tool: { name: 'lookup_order', arguments: { orderId: '42' } }, afterTool: 'It shipped today.' }] } },
      { tools: [lookupOrder] },
    );
    await feed(session, callerFrames(MULAW));
    const call = await events.next('tool_call');
    expect(call).toMatchObject({ name: 'lookup_order', arguments: { orderId: '42' } });
    session.sendToolResult(call.callId, 'shipped');
    await events.next('turn_end', (e) => e.reason === 'completed');
    expect(fake.received.find((m) => m.toolResponse)).toEqual({
      toolResponse: { functionResponses: [{ id: call.callId, name: 'lookup_order', response: { result: 'shipped' } }] },
    });
    expect(orderedEvents(events.events)).toEqual([
      'speech_started', 'speech_stopped', 'transcript:caller:final', 'tool_call:lookup_order', 'turn_end:tool_call', 'transcript:agent:final', 'turn_end:completed',
    ]);
  });

  it('barge-in: the server says interrupted → interrupted event; interrupt(heardMs) keeps only what was heard', async () => {
    const long = 'This is a long answer that goes on and on so that the caller has time to talk over it.';
    const { session, events } = await open({ realtime: true, msPerChar: 30, script: { turns: [{ caller: 'Hi', agent: long }, { caller: 'Stop', agent: 'Sure.' }] } });
    await feed(session, callerFrames(MULAW));
    await events.nth('audio', 15, 5000); // 300 ms, handed out in 20 ms pieces
    void feed(session, callerFrames(MULAW), 5);
    const cut = await events.next('interrupted');
    session.interrupt(300);
    const final = events.of('transcript').find((t) => t.speaker === 'agent' && t.final)!;
    expect(final).toMatchObject({ responseId: cut.responseId, truncated: true, audioMs: 300 });
    expect(long.startsWith(final.text)).toBe(true);
    await events.next('turn_end', (e) => e.reason === 'completed');
    expect(orderedEvents(events.events)).toEqual([
      'speech_started', 'speech_stopped', 'transcript:caller:final',
      'speech_started', 'interrupted', 'transcript:agent:final:truncated', 'turn_end:interrupted',
      'speech_stopped', 'transcript:caller:final', 'transcript:agent:final', 'turn_end:completed',
    ]);
  });

  it('keeps the latest resumption handle and reports goAway', async () => {
    const { session, events } = await open({}, {}, { resumptionHandle: 'old-handle' });
    expect(fake.received[0]?.setup?.sessionResumption).toEqual({ handle: 'old-handle' });
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    await sleep(20);
    expect(session.resumptionHandle).toBe('handle-1');
    fake.goAway('7.5s');
    expect(await events.next('going_away')).toEqual({ type: 'going_away', timeLeftMs: 7500, resuming: true }); // it resumes by itself
  });

  it('goAway: resumes on a new socket with the latest handle, and the call goes on without an error', async () => {
    const { session, events } = await open({ script: { turns: [{ caller: 'Hello there', agent: 'Hi!' }, { caller: 'Still there?', agent: 'Yes, still here.' }] } });
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    await sleep(20);
    fake.goAway('1s', 150);
    await events.next('going_away');
    const deadline = Date.now() + 2000;
    while (session.resumptions === 0 && Date.now() < deadline) await sleep(10);
    expect(session.resumptions).toBe(1);
    expect(fake.received.filter((m) => m.setup).map((m) => m.setup!.sessionResumption)).toEqual([{}, { handle: 'handle-1' }]);
    await sleep(250); // the old socket is closed by the server
    await feed(session, callerFrames(MULAW));
    await events.nth('turn_end', 1);
    expect(events.of('transcript').filter((t) => t.final).map((t) => t.text)).toEqual(['Hello there', 'Hi!', 'Still there?', 'Yes, still here.']);
    expect(events.of('error')).toEqual([]);
    expect(events.of('closed')).toEqual([]);
  });

  it('seeds history as clientContent and speaks first', async () => {
    const { events } = await open({}, { speakFirst: true, history: [{ role: 'caller', text: 'Hi' }, { role: 'agent', text: 'Hello' }] });
    await events.next('turn_end');
    expect(fake.received[1]).toEqual({
      clientContent: {
        turns: [
          { role: 'user', parts: [{ text: 'Hi' }] },
          { role: 'model', parts: [{ text: 'Hello' }] },
          { role: 'user', parts: [{ text: '(The call is connected. Greet the caller.)' }] },
        ],
        turnComplete: true,
      },
    });
    expect(events.of('transcript').find((t) => t.final)?.text).toBe('Hello, thanks for calling.');
  });

  it('counts and ignores malformed messages, and goes on', async () => {
    const { session, events } = await open();
    fake.faults.malformed = true;
    await feed(session, callerFrames(MULAW));
    await events.next('turn_end');
    expect(session.stats.rejected).toBeGreaterThan(10);
    expect(events.of('error')).toHaveLength(0);
    expect(events.of('transcript').find((t) => t.speaker === 'agent' && t.final)?.text).toBe('Hi! How can I help you today?');
  });

  it('a socket closed mid-turn → retryable connection_lost, then closed; a bad key is refused', async () => {
    const { session, events } = await open();
    fake.faults.closeMidResponse = true;
    await feed(session, callerFrames(MULAW));
    expect((await events.next('error')).error).toMatchObject({ code: 'connection_lost', retryable: true });
    await events.next('closed');
    const denied = await new GeminiLiveSession({ apiKey: 'wrong', baseUrl: fake.url }).start({ instructions: '', inputFormat: MULAW }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: 'auth_failed', retryable: false });
  });
});
