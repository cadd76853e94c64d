import type { TranscriptTurn } from './agent.js';
import type { HangupSource } from './leg.js';
import type { CallState } from './state.js';

/** A state change as the call session saw it. */
export interface StateChange {
  from: CallState;
  to: CallState;
  at: Date;
  cause?: string | undefined;
  source?: HangupSource | undefined;
  /** Apply only while the call is still in one of these states (default: the move's own rule). */
  onlyFrom?: readonly CallState[] | undefined;
}

/**
 * Where a live call's record goes as it happens: state changes, timeline events, transcript turns. The call
 * service implements it over the store and the bus; tests use an in-memory one.
 */
export interface CallRef {
  id: string;
  tenantId: string;
}

export interface CallJournal {
  state(call: CallRef, change: StateChange): void;
  event(call: CallRef, type: string, data?: Record<string, unknown>): void;
  transcript(call: CallRef, turn: TranscriptTurn): void;
  /** The recording is complete (or as complete as it will get). */
  recording(call: CallRef, info: { path: string; durationMs: number; bytes: number }): void;
}
