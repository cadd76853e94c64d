import { describe, expect, it } from 'vitest';
import { CALL_STATES } from '../contracts/calls.js';
import { assertTransition, canTransition, InvalidTransitionError, isTerminal, statesLeadingTo } from './state.js';

describe('call state machine', () => {
  it('allows the documented path ringing → in-progress → on-hold/transferring → an end', () => {
    for (const [from, to] of [
      ['ringing', 'in-progress'], ['in-progress', 'on-hold'], ['on-hold', 'in-progress'], ['in-progress', 'transferring'],
      ['on-hold', 'transferring'], ['transferring', 'in-progress'], ['transferring', 'completed'], ['in-progress', 'completed'],
      ['in-progress', 'failed'], ['ringing', 'no-answer'], ['ringing', 'busy'], ['ringing', 'failed'], ['ringing', 'completed'],
    ] as const) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
      expect(() => assertTransition(from, to)).not.toThrow();
    }
  });

  it('refuses moves the machine does not have', () => {
    for (const [from, to] of [
      ['ringing', 'on-hold'], ['ringing', 'transferring'], ['in-progress', 'ringing'], ['in-progress', 'busy'],
      ['in-progress', 'no-answer'], ['on-hold', 'ringing'], ['transferring', 'on-hold'], ['in-progress', 'in-progress'],
    ] as const) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
      expect(() => assertTransition(from, to)).toThrow(InvalidTransitionError);
    }
  });

  it('never leaves a terminal state', () => {
    for (const end of ['completed', 'failed', 'no-answer', 'busy'] as const) {
      expect(isTerminal(end)).toBe(true);
      for (const to of CALL_STATES) expect(canTransition(end, to), `${end} → ${to}`).toBe(false);
    }
    expect(() => assertTransition('completed', 'in-progress')).toThrow(/cannot go from completed to in-progress/);
  });

  it('knows which states lead to a state (for compare-and-set updates)', () => {
    expect(statesLeadingTo('on-hold').sort()).toEqual(['in-progress']);
    expect(statesLeadingTo('busy')).toEqual(['ringing']);
    expect(statesLeadingTo('completed').sort()).toEqual(['in-progress', 'on-hold', 'ringing', 'transferring']);
  });
});
