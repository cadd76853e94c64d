/**
 * The contract's promise: for the same conversation every provider emits the same events in the same order
 * (audio and partial transcripts aside, which interleave freely), with the same texts and the same format.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AiEvent } from '../../src/ai/session.js';
import { callerFrames } from '../fakes/ai/audio.js';
import type { ConversationScript } from '../fakes/ai/script.js';
import { PROVIDERS, startRig, type ProviderKind, type Rig } from './rigs.js';
import { feed, orderedEvents, record } from './support.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const lookupOrder = { name: 'lookup_order', description: 'Find an order by id', parameters: z.object({ orderId: z.string() }) };

const script: ConversationScript = {
  greeting: 'Thanks for calling Acme.',
  turns: [
    { caller: 'Hello there', agent: 'Hi! How can I help you today?' },
    { caller: 'Where is my order', tool: { name: 'lookup_order', arguments: { orderId: '42' } }, afterTool: 'Your order has shipped. It arrives tomorrow.' },
  ],
};

const EXPECTED = [
  'transcript:agent:final', 'turn_end:completed',
  'speech_started', 'speech_stopped', 'transcript:caller:final', 'transcript:agent:final', 'turn_end:completed',
  'speech_started', 'speech_stopped', 'transcript:caller:final', 'tool_call:lookup_order', 'turn_end:tool_call',
  'transcript:agent:final', 'turn_end:completed',
];

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function converse(kind: ProviderKind): Promise<AiEvent[]> {
  rig = await startRig(kind, { script });
  const { session } = rig;
  const events = record(session);
  session.on('tool_call', (call) => session.sendToolResult(call.callId, { status: 'shipped', eta: 'tomorrow' }));
  await session.start({ instructions: 'You are Acme support.', inputFormat: MULAW, tools: [lookupOrder], speakFirst: true });
  await events.nth('turn_end', 0);
  await feed(session, callerFrames(MULAW));
  await events.nth('turn_end', 1);
  await feed(session, callerFrames(MULAW));
  await events.nth('turn_end', 3);
  return events.events;
}

describe('every provider emits the same events in the same order for the same conversation', () => {
  const seen = new Map<ProviderKind, AiEvent[]>();

  for (const kind of PROVIDERS) {
    it(`${kind}: greeting, a question, a tool round trip`, async () => {
      const events = await converse(kind);
      seen.set(kind, events);
      expect(orderedEvents(events)).toEqual(EXPECTED);
      const finals = events.filter((e): e is Extract<AiEvent, { type: 'transcript' }> => e.type === 'transcript' && e.final);
      expect(finals.map((t) => `${t.speaker}: ${t.text}`)).toEqual([
        'agent: Thanks for calling Acme.',
        'caller: Hello there',
        'agent: Hi! How can I help you today?',
        'caller: Where is my order',
        'agent: Your order has shipped. It arrives tomorrow.',
      ]);
      expect(events.find((e) => e.type === 'tool_call')).toMatchObject({ arguments: { orderId: '42' } });
      const audio = events.filter((e) => e.type === 'audio');
      expect(new Set(audio.map((a) => `${a.format.encoding}/${a.format.sampleRate}`))).toEqual(new Set(['mulaw/8000']));
      // Audio belongs to a response, between the caller's speech stop and that response's turn_end.
      for (const a of audio) {
        const end = events.findIndex((e) => e.type === 'turn_end' && e.responseId === a.responseId);
        expect(end).toBeGreaterThan(events.indexOf(a));
      }
      // Caller speech is timed on the input timeline (ms of audio sent).
      const starts = events.filter((e) => e.type === 'speech_started').map((e) => e.atMs);
      expect(starts[0]).toBe(0);
      expect(starts[1]).toBe(1500);
    });
  }

  for (const kind of PROVIDERS) {
    it(`${kind}: barge-in cuts the agent, interrupt(heardMs) keeps only what was heard`, async () => {
      const long = 'This is a long answer that goes on and on. It gives the caller time to talk over it.';
      rig = await startRig(kind, { script: { turns: [{ caller: 'Hi', agent: long }, { caller: 'Stop', agent: 'Sure.' }] }, realtime: true, msPerChar: 30 });
      const { session } = rig;
      const events = record(session);
      await session.start({ instructions: 'Be brief.', inputFormat: MULAW });
      await feed(session, callerFrames(MULAW));
      await events.nth('audio', kind === 'gemini-live' ? 15 : 3, 5000); // 300 ms: Gemini's comes in 20 ms pieces
      void feed(session, callerFrames(MULAW), 5);
      const cut = await events.next('interrupted');
      session.interrupt(300);
      await events.next('turn_end', (e) => e.reason === 'completed');
      expect(orderedEvents(events.events)).toEqual([
        'speech_started', 'speech_stopped', 'transcript:caller:final',
        'speech_started', 'interrupted', 'transcript:agent:final:truncated', 'turn_end:interrupted',
        'speech_stopped', 'transcript:caller:final', 'transcript:agent:final', 'turn_end:completed',
      ]);
      const truncated = events.of('transcript').find((t) => t.truncated)!;
      expect(truncated).toMatchObject({ responseId: cut.responseId, audioMs: 300 });
      expect(truncated.text.length).toBeGreaterThan(0);
      expect(long.startsWith(truncated.text)).toBe(true);
      // No audio of the cut response after the interrupt.
      const interruptAt = events.events.indexOf(truncated);
      expect(events.events.slice(interruptAt).filter((e) => e.type === 'audio' && e.responseId === cut.responseId)).toEqual([]);
    });
  }

  for (const kind of PROVIDERS) {
    it(`${kind}: typed text is answered like speech`, async () => {
      rig = await startRig(kind, { script });
      const events = record(rig.session);
      await rig.session.start({ instructions: 'Be brief.', inputFormat: MULAW });
      rig.session.sendText('Hello there');
      await events.next('turn_end');
      expect(orderedEvents(events.events)).toEqual(['transcript:caller:final', 'transcript:agent:final', 'turn_end:completed']);
      expect(events.of('transcript').filter((t) => t.final).map((t) => t.text)).toEqual(['Hello there', 'Hi! How can I help you today?']);
    });
  }

  for (const kind of PROVIDERS.filter((k) => k !== 'gemini-live')) {
    it(`${kind}: tool arguments in bad JSON come as {} with the raw text, and the model can be answered`, async () => {
      rig = await startRig(kind, { script: { turns: [{ caller: 'Where', tool: { name: 'lookup_order', arguments: {}, raw: '{"orderId": 42' }, afterTool: 'Sorry, which order?' }] } });
      const events = record(rig.session);
      await rig.session.start({ instructions: '', inputFormat: MULAW, tools: [lookupOrder] });
      rig.session.sendText('Where');
      const call = await events.next('tool_call');
      expect(call).toMatchObject({ arguments: {}, invalidArguments: '{"orderId": 42' });
      expect(rig.session.stats.rejected).toBe(1);
      rig.session.sendToolResult(call.callId, { error: 'orderId: expected string' });
      await events.next('turn_end', (e) => e.reason === 'completed');
      expect(events.of('transcript').filter((t) => t.final).map((t) => t.text)).toEqual(['Where', 'Sorry, which order?']);
    });
  }

  it('agrees across providers on caller timing', () => {
    const timings = [...seen.values()].map((events) =>
      events.filter((e): e is Extract<AiEvent, { type: 'transcript' }> => e.type === 'transcript' && e.final && e.speaker === 'caller').map((t) => t.startMs),
    );
    for (const timing of timings) expect(timing).toEqual(timings[0]);
  });
});

describe('stalls and dead sockets are noticed', () => {
  for (const kind of PROVIDERS) {
    it(`${kind}: a provider that goes silent after a caller turn → retryable timeout error`, async () => {
      rig = await startRig(kind, { script, hooks: { replyTimeoutMs: 300 } });
      const events = record(rig.session);
      await rig.session.start({ instructions: '', inputFormat: MULAW });
      rig.silence();
      const sent = Date.now();
      rig.session.sendText('Hello there');
      const error = await events.next('error', undefined, 2000);
      expect(error.error).toMatchObject({ code: 'timeout', retryable: true });
      expect(Date.now() - sent).toBeLessThan(1500);
    });
  }

  it('a slow provider within the deadline is no stall', async () => {
    rig = await startRig('openai-realtime', { script, hooks: { replyTimeoutMs: 500 } });
    const events = record(rig.session);
    await rig.session.start({ instructions: '', inputFormat: MULAW });
    rig.slow(200);
    rig.session.sendText('Hello there');
    await events.next('turn_end');
    expect(events.of('error')).toEqual([]);
  });
});
