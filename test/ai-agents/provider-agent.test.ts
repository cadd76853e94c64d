import { afterEach, describe, expect, it } from 'vitest';
import { createAiSession } from '../../src/ai/agents/provider.js';
import { ProviderAgent, type ProviderAgentOptions } from '../../src/ai/agents/provider-agent.js';
import { callerFrames, sleep } from '../fakes/ai/audio.js';
import { FakeOpenAiRealtime, type FakeRealtimeOptions } from '../fakes/ai/openai-realtime-server.js';
import { liveCall, until } from './support.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
let fake: FakeOpenAiRealtime | undefined;
let closeCall: (() => Promise<void>) | undefined;

afterEach(async () => {
  await closeCall?.();
  await fake?.close();
  fake = undefined;
  closeCall = undefined;
});

async function call(fakeOptions: FakeRealtimeOptions, options: Partial<ProviderAgentOptions> = {}) {
  const f = await new FakeOpenAiRealtime(fakeOptions).start();
  fake = f;
  const agent = new ProviderAgent({ session: () => createAiSession({ kind: 'openai', url: f.url, key: 'test-key' }), instructions: 'Be brief.', ...options });
  const live = await liveCall(agent);
  closeCall = () => live.session.end('completed', 'test-over', 'platform');
  /** The caller speaks: a 600 ms tone and 900 ms of silence, paced a little so the fake's VAD sees it in time. */
  const speak = async () => { for (const frame of callerFrames(MULAW)) { live.leg.say(frame, 0); await sleep(2); } };
  return { ...live, speak, fake: f };
}

describe('ProviderAgent on the fake OpenAI Realtime server', () => {
  it('plays agent audio (μ-law passes through) and stores both sides as final segments', async () => {
    const { leg, finals, speak, fake } = await call({ script: { turns: [{ caller: 'Hello there', agent: 'Hi! How can I help you today?' }] } });
    expect(fake.sent('session.update')[0]!.session).toMatchObject({ audio: { input: { format: { type: 'audio/pcmu' } }, output: { format: { type: 'audio/pcmu' } } } });
    await speak();
    await until(() => finals('agent').length > 0, 'the agent final', { play: leg });
    expect(leg.sent.length).toBeGreaterThan(0);
    expect(leg.sentAudio().length % 8).toBe(0);
    expect(finals().map((t) => [t.speaker, t.text])).toEqual([['caller', 'Hello there'], ['agent', 'Hi! How can I help you today?']]);
  });

  it('barge-in: clears the carrier, truncates at the ms the caller heard, and keeps only what was heard', async () => {
    const long = 'This is a long answer that goes on and on so that the caller has time to talk over it.';
    const { leg, journal, finals, speak, fake } = await call({ realtime: true, msPerChar: 30, script: { turns: [{ caller: 'Hi', agent: long }, { caller: 'Stop', agent: 'Sure.' }] } });
    await speak();
    await until(() => leg.sent.length >= 4, 'agent audio');
    leg.playUpTo(300);              // the caller has heard 300 ms of the answer
    await speak();                  // …and talks over it
    await until(() => fake.truncates.length > 0, 'the truncate');
    expect(fake.truncates).toEqual([{ item_id: expect.any(String), audio_end_ms: 300 }]);
    expect(leg.clears).toHaveLength(1);
    expect(leg.clears[0]).toBeGreaterThan(0);
    expect(journal.events.find((e) => e.type === 'barge-in')?.data).toMatchObject({ heardMs: 300 });
    await until(() => finals('agent').length >= 2, 'the second answer', { play: leg });
    await sleep(100);
    const agentFinals = finals('agent').map((t) => t.text);
    expect(agentFinals).toHaveLength(2);  // the cut answer once (as heard), then the next
    expect(long.startsWith(agentFinals[0]!)).toBe(true);
    expect(agentFinals[0]!.length).toBeLessThan(long.length);
    expect(agentFinals[1]).toBe('Sure.');
    expect(finals('caller').map((t) => t.text)).toEqual(['Hi', 'Stop']);
  });

  it('a non-interruptible greeting plays on when the caller talks over it', async () => {
    const { leg, speak, fake, finals } = await call(
      { realtime: true, msPerChar: 30, script: { greeting: 'Welcome to the demo line, this greeting cannot be interrupted by the caller.', turns: [{ caller: 'Hi', agent: 'Hello.' }] } },
      { speakFirst: true, greetingInterruptible: false },
    );
    await until(() => leg.sent.length >= 3, 'greeting audio');
    leg.playUpTo(200);
    await speak();
    await sleep(200);
    expect(leg.clears).toHaveLength(0);
    expect(fake.truncates).toHaveLength(0);
    await until(() => finals('agent').some((t) => t.text.startsWith('Welcome')), 'the greeting final', { play: leg });
  });

  it('runs tools: end_call hangs up after the goodbye; an unknown tool answers the model with an error', async () => {
    const { leg, speak, fake } = await call({ script: { turns: [
      { caller: 'Look it up', tool: { name: 'lookup_order', arguments: { orderId: '7' } }, afterTool: 'I could not find it.' },
      { caller: 'Bye', tool: { name: 'end_call', arguments: { reason: 'caller-done' } }, afterTool: 'Goodbye.' },
    ] } });
    await speak();
    await until(() => fake.sent('conversation.item.create').some((e) => e.item.type === 'function_call_output'), 'the tool result');
    const output = fake.sent('conversation.item.create').map((e) => e.item).find((i) => i.type === 'function_call_output');
    expect(output).toMatchObject({ output: expect.stringContaining('unknown tool lookup_order') });
    await until(() => leg.sent.length > 0, 'the answer', { play: leg });
    await speak();
    await until(() => leg.hungUp !== null, 'the hang-up', { play: leg });
    expect(leg.hungUp).toBe('caller-done');
  });
});
