/**
 * Session caps: OpenAI Realtime's length cap is rolled over by the failover session (a fresh session of the same
 * provider, seeded with the conversation, at a quiet moment); Gemini's `goAway` resumes inside the Gemini session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GeminiLiveSession } from '../../src/ai/gemini-live/index.js';
import { OpenAiRealtimeSession } from '../../src/ai/openai-realtime/index.js';
import { FailoverSession, type ProviderSwitch } from '../../src/ai/router/failover-session.js';
import type { AiEvent, AiSessionOptions } from '../../src/ai/session.js';
import { callerFrames } from '../fakes/ai/audio.js';
import { FakeGeminiLive } from '../fakes/ai/gemini-live-server.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { feed, record } from '../ai/support.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const SCRIPT = { greeting: 'Thanks for calling Acme.', turns: [{ caller: 'Hello there', agent: 'Hi! How can I help you today?' }] };
const START: AiSessionOptions = { instructions: 'You are Acme support.', inputFormat: MULAW, speakFirst: true };
const finals = (events: AiEvent[]) =>
  events.filter((e): e is Extract<AiEvent, { type: 'transcript' }> => e.type === 'transcript' && e.final).map((t) => `${t.speaker}: ${t.text}`);

async function waitFor(ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > deadline) throw new Error(`not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined); });

describe('session caps', () => {
  // Each session has the 2 s cap, so going_away comes 1 s in (the lead is at most half the cap) and the fresh
  // session rolls over again later: the conversation must survive that too.
  it('OpenAI Realtime: a 2 s cap is rolled over to a fresh session of the same provider, the conversation intact', async () => {
    const fake = await new FakeOpenAiRealtime({ script: SCRIPT, realtime: true }).start();
    cleanup.push(() => fake.close());
    const session = new FailoverSession({
      candidates: [{ name: 'openai', create: () => new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fake.url, sessionLimitMs: 2000 }, { replyTimeoutMs: 0 }) }],
    });
    cleanup.push(() => session.close());
    const switches: ProviderSwitch[] = [];
    session.onSwitch((s) => switches.push(s));
    const events = record(session);
    const started = performance.now();
    await session.start(START);
    await events.next('turn_end', (e) => e.reason === 'completed', 5000); // the greeting plays out first: not cut
    await waitFor(() => switches.length === 1, 4000);
    expect(switches[0]).toMatchObject({ from: 'openai', to: 'openai', reason: 'rollover', resumed: 'idle' });
    expect(performance.now() - started).toBeLessThan(2000 + 1000); // before the cap bit (plus the greeting's wait)
    expect(fake.connections.length).toBe(2);
    expect(events.of('closed')).toHaveLength(0);
    expect(events.of('interrupted')).toHaveLength(0); // rolled over when quiet: nothing was cut

    await feed(session, callerFrames(MULAW), 20);
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final && t.text.startsWith('Hi!'), 5000);
    expect(finals(events.events)).toEqual(['agent: Thanks for calling Acme.', 'caller: Hello there', 'agent: Hi! How can I help you today?']);
    // The fresh session was seeded with the greeting.
    expect(fake.sent('conversation.item.create').some((e) => (e.item as { role?: string }).role === 'assistant')).toBe(true);
  }, 20_000);

  it('OpenAI Realtime: without a configured lead, going_away comes at half a short cap, never at the start', async () => {
    const fake = await new FakeOpenAiRealtime({ script: SCRIPT }).start();
    cleanup.push(() => fake.close());
    const session = new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fake.url, sessionLimitMs: 1000 }, { replyTimeoutMs: 0 });
    cleanup.push(() => session.close());
    const events = record(session);
    await session.start({ ...START, speakFirst: false });
    const started = performance.now();
    expect(await events.next('going_away', undefined, 2000)).toEqual({ type: 'going_away', timeLeftMs: 500 });
    expect(performance.now() - started).toBeGreaterThan(400);
  });

  it('Gemini Live: goAway resumes inside the Gemini session (no failover switch), the conversation continues', async () => {
    const fake = await new FakeGeminiLive({ script: SCRIPT }).start();
    cleanup.push(() => fake.close());
    const session = new FailoverSession({ candidates: [{ name: 'gemini', create: () => new GeminiLiveSession({ apiKey: 'test-key', baseUrl: fake.url }, { replyTimeoutMs: 0 }) }] });
    cleanup.push(() => session.close());
    const switches: ProviderSwitch[] = [];
    session.onSwitch((s) => switches.push(s));
    const events = record(session);
    await session.start(START);
    await events.next('turn_end', (e) => e.reason === 'completed', 5000);
    fake.goAway('2s', 500);
    await waitFor(() => fake.connections.length === 2, 3000);
    await feed(session, callerFrames(MULAW), 20);
    await events.next('transcript', (t) => t.speaker === 'agent' && t.final && t.text.startsWith('Hi!'), 5000);
    expect(switches).toEqual([]);
    expect(events.of('closed')).toHaveLength(0);
    expect(finals(events.events)).toEqual(['agent: Thanks for calling Acme.', 'caller: Hello there', 'agent: Hi! How can I help you today?']);
  }, 20_000);
});

describe('keep-alive', () => {
  it('a half-open socket (no pongs, no events) is found within ~2 s and the call moves to the next provider', async () => {
    const [a, b] = [await new FakeOpenAiRealtime({ script: SCRIPT }).start(), await new FakeOpenAiRealtime({ script: SCRIPT }).start()];
    cleanup.push(() => a.close(), () => b.close());
    const session = new FailoverSession({
      candidates: [a, b].map((f, i) => ({ name: `p${i}`, create: () => new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: f.url }, { replyTimeoutMs: 0 }) })),
    });
    cleanup.push(() => session.close());
    const switches: ProviderSwitch[] = [];
    session.onSwitch((s) => switches.push(s));
    const events = record(session);
    await session.start(START);
    await events.next('turn_end', (e) => e.reason === 'completed', 5000);
    a.faults.ignorePings = true;
    a.faults.silent = true;
    const faultAt = performance.now();
    await waitFor(() => switches.length === 1, 4000);
    const foundMs = performance.now() - faultAt;
    expect(switches[0]).toMatchObject({ from: 'p0', to: 'p1', reason: 'closed' });
    expect(foundMs).toBeLessThan(2300);
  }, 15_000);
});
