import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentContext, AgentSession } from '../../src/call/agent.js';
import { HOLD_LOOP_MS, holdLoop } from '../../src/call/hold.js';
import { PCM16_16K } from '../../src/call/leg.js';
import { CallSession } from '../../src/call/session.js';
import { dbfs, goertzelPower, meanSquare, mulawToPcm16, pcm16leToInt16 } from '../../src/media/index.js';
import { liveCall } from '../support/calls.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { FakeLeg } from '../support/fake-leg.js';
import { MemoryJournal } from '../support/memory-journal.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** An agent the test drives: it records what reaches it and plays through its context. */
class ListeningAgent implements AgentSession {
  readonly kind = 'listening';
  ctx!: AgentContext;
  heard = 0;
  digits: string[] = [];
  holds: boolean[] = [];
  async start(ctx: AgentContext) { this.ctx = ctx; }
  onCallerAudio() { this.heard++; }
  onDtmf(digit: string) { this.digits.push(digit); }
  onHold(held: boolean) { this.holds.push(held); }
  async close() {}
}

const ms = (n: number) => new Uint8Array(n * 8).fill(0x7f); // μ-law 8 kHz: 8 bytes per ms
const sleep = (n: number) => new Promise((resolve) => setTimeout(resolve, n));

async function live() {
  const leg = new FakeLeg();
  const agent = new ListeningAgent();
  const journal = new MemoryJournal();
  const session = new CallSession({ callId: 'c1', tenantId: 't1', state: 'ringing', leg, agent, journal, tap: null });
  await session.start();
  return { leg, agent, journal, session };
}

describe('hold audio', () => {
  it('is a soft generated tone loop: notes in the telephone band, quiet after, in any leg format', () => {
    const loop = mulawToPcm16(holdLoop({ encoding: 'mulaw', sampleRate: 8000 }));
    expect(loop.length).toBe(8 * HOLD_LOOP_MS);
    const first = loop.subarray(0, 8 * 220);
    expect(goertzelPower(first, 659.25, 8000, 400, 800)).toBeGreaterThan(0.5 * meanSquare(first, 400, 1200));
    expect(dbfs(first)).toBeGreaterThan(-35);
    expect(dbfs(first)).toBeLessThan(-18); // soft
    expect(dbfs(loop, 8 * 1000)).toBeLessThan(-60); // then quiet
    const wide = pcm16leToInt16(holdLoop(PCM16_16K));
    expect(wide.length).toBe(16 * HOLD_LOOP_MS);
    expect(goertzelPower(wide, 783.99, 16000, 16 * 300, 16 * 160)).toBeGreaterThan(0.5 * meanSquare(wide, 16 * 300, 16 * 460));
  });
});

describe('call session on hold', () => {
  it('cuts the agent, plays hold audio paced by playback, keeps caller audio and keys from the agent, and resumes both', async () => {
    const { leg, agent, journal, session } = await live();
    agent.ctx.play(ms(1000));
    leg.playUpTo(300);
    leg.say(ms(20), 0);
    expect(agent.heard).toBe(1);

    session.hold();
    expect(session.state).toBe('on-hold');
    expect(session.onHold).toBe(true);
    expect(agent.holds).toEqual([true]);
    expect(leg.clears).toEqual([700]); // the rest of the agent's sentence was dropped
    const loop = holdLoop(leg.outputFormat);
    // About a second of the loop is queued ahead of playback, from its start.
    const queued = () => leg.playback().sentMs - leg.playback().playedMs;
    expect(queued()).toBeGreaterThanOrEqual(1000);
    expect(queued()).toBeLessThan(1200);
    const heldFrom = leg.sentAudio().length - queued() * 8;
    expect(Buffer.from(leg.sentAudio().subarray(heldFrom)).equals(Buffer.from(loop.subarray(0, queued() * 8)))).toBe(true);

    // The agent neither hears nor speaks while on hold; keys go to the timeline only.
    const before = leg.sentAudio().length;
    leg.say(ms(20), 20);
    leg.press('5');
    agent.ctx.play(ms(500));
    expect(agent.heard).toBe(1);
    expect(agent.digits).toEqual([]);
    expect(journal.events.some((e) => e.type === 'dtmf' && e.data['digit'] === '5')).toBe(true);
    expect(leg.sentAudio().length).toBe(before);
    // A person on the call is not heard either.
    session.speak(ms(100));
    expect(leg.sentAudio().length).toBe(before);

    // As the carrier plays it, the loop is topped up (and wraps around).
    leg.playUpTo(leg.playback().playedMs + 900);
    await sleep(450);
    expect(queued()).toBeGreaterThanOrEqual(1000);
    expect(leg.sentAudio().length).toBeGreaterThan(before + 800 * 8);

    session.resume();
    expect(session.state).toBe('in-progress');
    expect(session.onHold).toBe(false);
    expect(agent.holds).toEqual([true, false]);
    expect(leg.clears.at(-1)).toBeGreaterThanOrEqual(1000); // queued hold audio dropped at once
    expect(queued()).toBe(0);
    const after = leg.sentAudio().length;
    await sleep(450);
    expect(leg.sentAudio().length).toBe(after); // the loop stopped
    leg.say(ms(20), 40);
    leg.press('7');
    agent.ctx.play(ms(200));
    expect(agent.heard).toBe(2);
    expect(agent.digits).toEqual(['7']);
    expect(leg.sentAudio().length).toBe(after + 200 * 8);
    expect(journal.path()).toEqual(['in-progress', 'on-hold', 'in-progress']);
  });

  it('stops the hold audio when the call ends or is transferred from hold', async () => {
    const ended = await live();
    ended.session.hold();
    ended.leg.drop();
    await ended.session.end('completed', 'caller-hangup', 'caller');
    const sent = ended.leg.sentAudio().length;
    ended.leg.playAll();
    await sleep(450);
    expect(ended.leg.sentAudio().length).toBe(sent);

    const moved = await live();
    moved.session.hold();
    await moved.session.transfer('+14155550199');
    expect(moved.agent.holds).toEqual([true, false]);
    expect(moved.leg.transferredTo).toBe('+14155550199');
    const sentAfter = moved.leg.sentAudio().length;
    moved.leg.playAll();
    await sleep(450);
    expect(moved.leg.sentAudio().length).toBe(sentAfter);
  });
});

describe('hold and resume through the API', () => {
  let server: TestServer;
  let admin: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signedInClient(server);
  });
  afterAll(async () => { await server.close(); });

  it('puts a live call on hold (hold audio, the echo agent hears nothing) and resumes it; refuses wrong moves', async () => {
    const { callId, leg } = await liveCall(server.platform);
    leg.say(ms(20), 0);
    expect(leg.sentAudio().length).toBe(160); // the echo agent answers the caller

    const held = await admin.post(`/api/v1/calls/${callId}/hold`, {});
    expect(held.status).toBe(200);
    expect(held.body.state).toBe('on-hold');
    const loop = holdLoop(leg.outputFormat);
    expect(Buffer.from(leg.sentAudio().subarray(160, 160 + 800)).equals(Buffer.from(loop.subarray(0, 800)))).toBe(true);
    const onHold = leg.sentAudio().length;
    leg.say(ms(20), 20); // not echoed: the agent does not hear the caller on hold
    expect(leg.sentAudio().length).toBe(onHold);
    expect((await admin.post(`/api/v1/calls/${callId}/hold`, {})).body.error.code).toBe('invalid_state');

    const resumed = await admin.post(`/api/v1/calls/${callId}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body.state).toBe('in-progress');
    const back = leg.sentAudio().length;
    leg.say(ms(20), 40);
    expect(leg.sentAudio().length).toBe(back + 160);
    const again = await admin.post(`/api/v1/calls/${callId}/resume`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_state');

    const detail = await admin.get(`/api/v1/calls/${callId}`);
    const types = detail.body.timeline.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['hold', 'unhold']));
    expect(detail.body.timeline.find((e: { type: string }) => e.type === 'hold').data.by).toBeTruthy();

    await admin.post(`/api/v1/calls/${callId}/hangup`, {});
    expect((await admin.post(`/api/v1/calls/${callId}/hold`, {})).body.error.code).toBe('call_ended');
    expect((await admin.post(`/api/v1/calls/${randomUUID()}/hold`, {})).status).toBe(404);
  });
});
