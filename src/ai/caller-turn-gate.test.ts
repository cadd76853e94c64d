import { describe, expect, it } from 'vitest';
import { CallerTurnGate } from './caller-turn-gate.js';

describe('CallerTurnGate', () => {
  it('holds agent events behind an earlier caller turn until its transcript, in order', () => {
    const gate = new CallerTurnGate(1000, () => undefined);
    const out: string[] = [];
    gate.open('caller-1', 1);
    gate.after(2, () => out.push('tool_call'));
    gate.after(2, () => out.push('turn_end'));
    expect(out).toEqual([]);
    out.push('caller_final');
    gate.resolve('caller-1');
    expect(out).toEqual(['caller_final', 'tool_call', 'turn_end']);
    gate.clear();
  });

  it('does not hold a response that began before the caller spoke (barge-in)', () => {
    const gate = new CallerTurnGate(1000, () => undefined);
    const out: string[] = [];
    gate.open('caller-2', 5);
    gate.after(3, () => out.push('cut response final'));
    expect(out).toEqual(['cut response final']);
    gate.clear();
  });

  it('gives up after the timeout', async () => {
    const late: string[] = [];
    const gate = new CallerTurnGate(20, (key) => late.push(key));
    const out: string[] = [];
    gate.open('caller-3', 1);
    gate.after(2, () => out.push('turn_end'));
    await new Promise((r) => setTimeout(r, 40));
    expect(late).toEqual(['caller-3']);
    expect(out).toEqual(['turn_end']);
  });
});
