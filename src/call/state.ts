import { TERMINAL_CALL_STATES, type CallState } from '../contracts/calls.js';

export type { CallState };

/** Every allowed move; anything else is refused. Terminal states have none. */
const NEXT: Record<CallState, readonly CallState[]> = {
  'ringing': ['in-progress', 'completed', 'failed', 'no-answer', 'busy'],
  'in-progress': ['on-hold', 'transferring', 'completed', 'failed'],
  'on-hold': ['in-progress', 'transferring', 'completed', 'failed'],
  // A failed transfer returns to the conversation; a done one completes (cause "transferred").
  'transferring': ['in-progress', 'completed', 'failed'],
  'completed': [],
  'failed': [],
  'no-answer': [],
  'busy': [],
};

export function isTerminal(state: CallState): boolean {
  return TERMINAL_CALL_STATES.includes(state);
}

export function canTransition(from: CallState, to: CallState): boolean {
  return NEXT[from].includes(to);
}

/** The states from which `to` may be reached (for compare-and-set updates in the database). */
export function statesLeadingTo(to: CallState): CallState[] {
  return (Object.keys(NEXT) as CallState[]).filter((from) => NEXT[from].includes(to));
}

export class InvalidTransitionError extends Error {
  constructor(readonly from: CallState, readonly to: CallState) {
    super(`a call cannot go from ${from} to ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

/** Throws InvalidTransitionError unless `from → to` is allowed. */
export function assertTransition(from: CallState, to: CallState): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
