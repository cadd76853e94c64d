/** FailoverSession against two fake OpenAI Realtime servers: each fault of the chaos harness. */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AiError } from '../../src/ai/errors.js';
import { OpenAiRealtimeSession } from '../../src/ai/openai-realtime/index.js';
import { FailoverSession, type ProviderCandidate, type ProviderOutcome, type ProviderSwitch } from '../../src/ai/router/failover-session.js';
import { ProviderRouter } from '../../src/ai/router/router.js';
import { sessionProbe } from '../../src/ai/router/probes.js';
import { AiSessionBase } from '../../src/ai/session-base.js';
import type { AiEvent, AiSessionOptions } from '../../src/ai/session.js';
import { callerFrames } from '../fakes/ai/audio.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import type { ConversationScript } from '../fakes/ai/script.js';
import { feed, record } from '../ai/support.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const lookupOrder = { name: 'lookup_order', description: 'Find an order by id', parameters: z.object({ orderId: z.string() }) };
const script: ConversationScript = {
  greeting: 'Thanks for calling Acme.',
  turns: [
    { caller: 'Hello there', agent: 'Hi! How can I help you today? I can look up orders and answer questions.' },
    { caller: 'Where is my order', tool: { name: 'lookup_order', arguments: { orderId: '42' } }, afterTool: 'Your order has shipped. It arrives tomorrow.' },
  ],
};
const START: AiSessionOptions = { instructions: 'You are Acme support.', inputFormat: MULAW, tools: [lookupOrder], speakFirst: true };

const fakes: FakeOpenAiRealtime[] = [];
const sessions: FailoverSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
  for (const f of fakes.splice(0)) await f.close();
});

async function fake(): Promise<FakeOpenAiRealtime> {
  const f = await new FakeOpenAiRealtime({ script }).start();
  fakes.push(f);
  return f;
}

const candidate = (name: string, f: FakeOpenAiRealtime): ProviderCandidate => ({
  name,
  create: () => new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: f.url }, { replyTimeoutMs: 0 }),
});

function failover(candidates: ProviderCandidate[], reports: Array<[string, ProviderOutcome]> = []) {
  const session = new FailoverSession({ candidates, report: (p, o) => reports.push([p, o]) });
  sessions.push(session);
  const switches: ProviderSwitch[] = [];
  session.onSwitch((e) => switches.push(e));
  session.on('tool_call', (call) => session.sendToolResult(call.callId, { status: 'shipped', eta: 'tomorrow' }));
  return { session, switches, events: record(session) };
}

const finals = (events: AiEvent[]) =>
  events.filter((e): e is Extract<AiEvent, { type: 'transcript' }> => e.type === 'transcript' && e.final).map((t) => `${t.speaker}: ${t.text}`);

const WHOLE = [
  'agent: Thanks for calling Acme.',
  'caller: Hello there',
  'agent: Hi! How can I help you today? I can look up orders and answer questions.',
  'caller: Where is my order',
  'agent: Your order has shipped. It arrives tomorrow.',
];

describe('FailoverSession', () => {
  it('the first provider dies mid-sentence: the call finishes on the second with a whole transcript', async () => {
    const [a, b] = [await fake(), await fake()];
    const { session, switches, events } = failover([candidate('a', a), candidate('b', b)]);
    await session.start(START);
    await events.next('turn_end');
    a.faults.closeMidResponse = true;
    await feed(session, callerFrames(MULAW));
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final && t.text.startsWith('Hi!'));
    expect(session.provider).toBe('b');
    await feed(session, callerFrames(MULAW));
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final && t.text.startsWith('Your order'));
    expect(finals(events.events)).toEqual(WHOLE);
    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({ from: 'a', to: 'b', reason: 'closed', attempts: 1 });
    // The fake dies before its late input transcription arrives: the turn is replayed (else asked again as text).
    expect(['replayed_audio', 'caller_turn']).toContain(switches[0]!.resumed);
    expect(switches[0]!.detectionMs).toBeLessThan(2000);
    expect(switches[0]!.switchMs).toBeLessThan(1000);
    // Each provider got the conversation: b was seeded with the greeting and asked the pending turn as text.
    expect(b.sent('conversation.item.create')[0]).toMatchObject({ item: { role: 'assistant' } });
    expect(session.conversation.map((t) => t.role)).toEqual(['agent', 'caller', 'agent', 'caller', 'tool', 'agent']);
  });

  it('dies during the greeting: the heard part is closed as interrupted, the next provider greets again', async () => {
    const [a, b] = [await fake(), await fake()];
    a.faults.closeMidResponse = true;
    const { session, switches, events } = failover([candidate('a', a), candidate('b', b)]);
    await session.start(START);
    await events.next('turn_end', (e) => e.reason === 'completed');
    expect(switches[0]).toMatchObject({ from: 'a', to: 'b', reason: 'closed', resumed: 'greeting' });
    const ends = events.of('turn_end');
    expect(ends.map((e) => e.reason)).toEqual(['interrupted', 'completed']);
    expect(events.of('interrupted')).toHaveLength(1);
    expect(ends[0]!.responseId).not.toBe(ends[1]!.responseId);
    expect(finals(events.events)).toEqual(WHOLE.slice(0, 1));
  });

  it('a silent provider is caught as a stall within 2 s and the caller turn is replayed to the next', async () => {
    const [a, b] = [await fake(), await fake()];
    const { session, switches, events } = failover([candidate('a', a), candidate('b', b)]);
    await session.start(START);
    await events.next('turn_end');
    a.faults.silent = true;
    await feed(session, callerFrames(MULAW));
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final && t.text.startsWith('Hi!'), 5000);
    expect(switches[0]).toMatchObject({ from: 'a', to: 'b', reason: 'stall', resumed: 'replayed_audio' });
    expect(switches[0]!.detectionMs).toBeLessThanOrEqual(2000);
    expect(finals(events.events)).toEqual(WHOLE.slice(0, 3));
    expect(events.of('speech_started')).toHaveLength(1);
  });

  it('a provider that stops answering after the caller spoke (it heard the turn) is a stall', async () => {
    const [a, b] = [await fake(), await fake()];
    const { session, switches, events } = failover([candidate('a', a), candidate('b', b)]);
    await session.start({ ...START, speakFirst: false });
    a.faults.delayMs = 4000; // answers far too slowly
    session.sendText('Hello there');
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final, 5000);
    expect(switches[0]).toMatchObject({ reason: 'stall', resumed: 'caller_turn' });
    expect(finals(events.events)).toEqual(WHOLE.slice(1, 3));
  });

  it('a provider error event switches; a 429 at start skips to the next without retrying', async () => {
    const [a, b, c] = [await fake(), await fake(), await fake()];
    const reports: Array<[string, ProviderOutcome]> = [];
    a.faults.rejectStatus = 429;
    const { session, switches, events } = failover([candidate('a', a), candidate('b', b), candidate('c', c)], reports);
    await session.start(START);
    expect(session.provider).toBe('b');
    expect(reports[0]).toEqual(['a', expect.objectContaining({ ok: false, kind: 'rate_limited' })]);
    expect(reports.filter(([p]) => p === 'a')).toHaveLength(1);
    await events.next('turn_end');
    b.faults.errorEvent = true;
    session.sendText('Hello there');
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final && t.text.startsWith('Hi!'));
    expect(switches[0]).toMatchObject({ from: 'b', to: 'c', reason: 'error' });
    expect(finals(events.events)).toEqual(WHOLE.slice(0, 3));
  });

  it('a rate limit in the middle of a call switches', async () => {
    const [b] = [await fake()];
    const stub = new StubSession();
    const { session, switches, events } = failover([{ name: 'stub', create: () => stub }, candidate('b', b)]);
    await session.start({ ...START, speakFirst: false });
    stub.fire({ type: 'error', error: new AiError('stub', 'rate_limited', 'HTTP 429', { status: 429 }) });
    await new Promise((r) => setTimeout(r, 50));
    expect(switches[0]).toMatchObject({ from: 'stub', to: 'b', reason: 'rate_limited', resumed: 'idle' });
    session.sendText('Hello there');
    await events.next('turn_end');
    expect(finals(events.events)).toEqual(WHOLE.slice(1, 3));
  });

  it('malformed provider events are dropped and counted; the call goes on on the same provider', async () => {
    const [a, b] = [await fake(), await fake()];
    a.faults.malformed = true;
    const { session, switches, events } = failover([candidate('a', a), candidate('b', b)]);
    await session.start(START);
    await feed(session, callerFrames(MULAW));
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final && t.text.startsWith('Hi!'));
    expect(switches).toEqual([]);
    expect(session.stats.rejected).toBeGreaterThan(0);
    // (The greeting's final can come out clipped: the realtime session takes a shape-less `.done` the fake
    // interleaves at face value; that is the provider session's to harden, not the router's.)
    expect(finals(events.events).slice(1)).toEqual(WHOLE.slice(1, 3));
  });

  it('switchTo moves the conversation on request', async () => {
    const [a, b] = [await fake(), await fake()];
    const { session, events } = failover([candidate('a', a), candidate('b', b)]);
    await session.start(START);
    await events.next('turn_end');
    const moved = await session.switchTo('b');
    expect(moved).toMatchObject({ from: 'a', to: 'b', reason: 'manual', resumed: 'idle' });
    session.sendText('Hello there');
    await events.next('turn_end', (e) => e.responseId.startsWith('b#'));
    expect(finals(events.events)).toEqual(WHOLE.slice(0, 3));
  });
});

describe('ProviderRouter health', () => {
  it('probe latencies go up when a fake provider is slowed down', async () => {
    const a = await fake();
    const create = () => new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: a.url }, { replyTimeoutMs: 0 });
    const router = new ProviderRouter([{ name: 'a', create, probe: sessionProbe(create) }], { probeTimeoutMs: 3000 });
    for (let i = 0; i < 3; i++) await router.probeAll();
    const fast = router.snapshot()[0]!;
    expect(fast.status).toBe('healthy');
    a.faults.delayMs = 0;
    // Slow the handshake: the fake answers session.update late.
    const original = (a as unknown as { onClientEvent: (...args: unknown[]) => Promise<void> }).onClientEvent.bind(a);
    (a as unknown as { onClientEvent: (...args: unknown[]) => Promise<void> }).onClientEvent = async (...args) => {
      await new Promise((r) => setTimeout(r, 300));
      return original(...args);
    };
    for (let i = 0; i < 3; i++) await router.probeAll();
    const slow = router.snapshot()[0]!;
    expect(slow.latencyEwmaMs!).toBeGreaterThan(fast.latencyEwmaMs! + 100);
    expect(slow.latencyP95Ms!).toBeGreaterThanOrEqual(300);
    expect(router.history('a')).toHaveLength(6);
  });
});

/** A session that only does what the test tells it to. */
class StubSession extends AiSessionBase {
  readonly provider = 'stub';
  async start(options: AiSessionOptions): Promise<void> { this.configure(options); }
  sendAudio(): void {}
  sendText(): void {}
  interrupt(): void {}
  sendToolResult(): void {}
  async close(): Promise<void> { this.emitClosed('client'); }
  fire(event: AiEvent): void { this.emit(event); }
}
