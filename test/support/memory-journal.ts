import type { TranscriptTurn } from '../../src/call/agent.js';
import type { CallJournal, CallRef, StateChange } from '../../src/call/journal.js';

/** A call journal that keeps everything in arrays, for unit tests of the call session and agents. */
export class MemoryJournal implements CallJournal {
  readonly states: StateChange[] = [];
  readonly events: { type: string; data: Record<string, unknown> }[] = [];
  readonly turns: TranscriptTurn[] = [];
  readonly recordings: { path: string; durationMs: number; bytes: number }[] = [];

  state(_call: CallRef, change: StateChange): void { this.states.push(change); }
  event(_call: CallRef, type: string, data: Record<string, unknown> = {}): void { this.events.push({ type, data }); }
  transcript(_call: CallRef, turn: TranscriptTurn): void { this.turns.push(turn); }
  recording(_call: CallRef, info: { path: string; durationMs: number; bytes: number }): void { this.recordings.push(info); }

  types(): string[] { return this.events.map((e) => e.type); }
  path(): string[] { return this.states.map((s) => s.to); }
}
