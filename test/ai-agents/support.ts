/** Helpers for agent tests: a live call on a FakeLeg, waiting with the carrier playing everything sent. */
import type { AgentSession } from '../../src/call/agent.js';
import { CallSession } from '../../src/call/session.js';
import { FakeLeg } from '../support/fake-leg.js';
import { MemoryJournal } from '../support/memory-journal.js';

export async function liveCall(agent: AgentSession) {
  const leg = new FakeLeg();
  const journal = new MemoryJournal();
  const session = new CallSession({ callId: 'c1', tenantId: 't1', state: 'ringing', leg, agent, journal, tap: null });
  await session.start();
  let atMs = 0;
  /** The caller sends audio as 20 ms frames (μ-law 8 kHz: 160 bytes each). */
  const send = (audio: Uint8Array) => {
    for (let i = 0; i + 160 <= audio.length; i += 160) { leg.say(audio.subarray(i, i + 160), atMs); atMs += 20; }
  };
  const finals = (speaker?: 'caller' | 'agent') => journal.turns.filter((t) => t.final && (!speaker || t.speaker === speaker));
  return { leg, journal, session, send, finals };
}

/** Polls `check` until true; with `play`, the carrier plays out all agent audio between polls (marks come back). */
export async function until(check: () => boolean, what: string, options: { timeoutMs?: number; play?: FakeLeg } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    options.play?.playAll();
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const silence = (ms: number) => new Uint8Array((ms * 8)).fill(0xff);
