import { describe, expect, it } from 'vitest';
import { FakeLeg } from '../../test/support/fake-leg.js';
import { MemoryJournal } from '../../test/support/memory-journal.js';
import type { AgentContext, AgentSession } from './agent.js';
import { CallSession } from './session.js';

/** An agent the test drives through its context. */
class PuppetAgent implements AgentSession {
  readonly kind = 'puppet';
  ctx!: AgentContext;
  async start(ctx: AgentContext) { this.ctx = ctx; }
  onCallerAudio() {}
  onDtmf() {}
  async close() {}
}

async function live() {
  const leg = new FakeLeg();
  const agent = new PuppetAgent();
  const journal = new MemoryJournal();
  const session = new CallSession({ callId: 'c1', tenantId: 't1', state: 'ringing', leg, agent, journal, tap: null });
  await session.start();
  return { leg, agent, journal, session };
}
const ms = (n: number) => new Uint8Array(n * 8).fill(0x7f); // μ-law 8 kHz: 8 bytes per ms

describe('barge-in', () => {
  it('before any audio played: clears, and the caller heard 0 ms', async () => {
    const { leg, agent } = await live();
    agent.ctx.play(ms(1000));
    expect(agent.ctx.interrupt()).toBe(0);
    expect(leg.clears).toEqual([1000]);
  });

  it('during playback: reports what was heard of the current response only', async () => {
    const { leg, agent, journal } = await live();
    agent.ctx.play(ms(500));
    leg.playAll();                 // the first response finished
    agent.ctx.play(ms(400));       // a second response starts from an idle line
    agent.ctx.play(ms(400));       // …and continues
    leg.playUpTo(500 + 250);
    expect(agent.ctx.interrupt()).toBe(250);
    expect(leg.clears).toEqual([550]);
    expect(journal.events.find((e) => e.type === 'barge-in')?.data).toMatchObject({ heardMs: 250, droppedMs: 550 });
  });

  it('after the last mark: the whole response was heard and nothing is dropped', async () => {
    const { leg, agent } = await live();
    let played = false;
    agent.ctx.play(ms(300));
    agent.ctx.mark('end', () => { played = true; });
    leg.playAll();
    expect(played).toBe(true);
    expect(agent.ctx.interrupt()).toBe(300);
    expect(leg.clears).toEqual([0]);
  });

  it('calls back marks still pending when playback is cleared', async () => {
    const { agent } = await live();
    const seen: string[] = [];
    agent.ctx.play(ms(300));
    agent.ctx.mark('a', () => seen.push('a'));
    agent.ctx.interrupt();
    expect(seen).toEqual(['a']);
  });
});

describe('call session', () => {
  it('answers on start and completes once when the caller hangs up', async () => {
    const { leg, journal, session } = await live();
    leg.drop();
    leg.drop();
    await session.end('completed', 'again', 'platform');
    expect(journal.path()).toEqual(['in-progress', 'completed']);
    expect(journal.states[1]).toMatchObject({ cause: 'caller-hangup', source: 'caller' });
    expect(session.state).toBe('completed');
  });

  it('holds, resumes and refuses invalid moves', async () => {
    const { session, journal } = await live();
    session.hold();
    expect(() => session.hold()).toThrow(/on-hold to on-hold/);
    session.resume();
    expect(journal.path()).toEqual(['in-progress', 'on-hold', 'in-progress']);
  });

  it('transfers at the carrier and completes with cause "transferred"; a failed transfer returns to the call', async () => {
    const { leg, session, journal } = await live();
    leg.transferError = new Error('carrier said no');
    await expect(session.transfer('+14155550100')).rejects.toThrow('carrier said no');
    expect(session.state).toBe('in-progress');
    leg.transferError = null;
    await session.transfer('+14155550100');
    expect(leg.transferredTo).toBe('+14155550100');
    expect(leg.closed).toBe(true);
    expect(leg.hungUp).toBeNull();
    expect(journal.path()).toEqual(['in-progress', 'transferring', 'in-progress', 'transferring', 'completed']);
    expect(journal.states.at(-1)).toMatchObject({ cause: 'transferred', source: 'platform' });
  });

  it('hangs up at the carrier when the agent ends the call', async () => {
    const { leg, agent, journal } = await live();
    await agent.ctx.hangup('done');
    expect(leg.hungUp).toBe('done');
    expect(journal.states.at(-1)).toMatchObject({ to: 'completed', cause: 'done', source: 'agent' });
  });

  it('ends as failed when the agent cannot start', async () => {
    const leg = new FakeLeg();
    const journal = new MemoryJournal();
    const agent: AgentSession = { kind: 'broken', start: async () => { throw new Error('boom'); }, onCallerAudio() {}, onDtmf() {}, close: async () => {} };
    const session = new CallSession({ callId: 'c2', tenantId: 't1', state: 'ringing', leg, agent, journal, tap: null });
    await session.start();
    expect(journal.path()).toEqual(['in-progress', 'failed']);
    expect(leg.hungUp).toBe('agent-error');
  });

  it('puts DTMF on the timeline and hands it to the agent', async () => {
    const { leg, journal } = await live();
    leg.press('5');
    expect(journal.events).toContainEqual({ type: 'dtmf', data: expect.objectContaining({ digit: '5' }) });
  });
});
