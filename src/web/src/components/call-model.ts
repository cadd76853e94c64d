import { AGENT_TRANSFER_EVENT, CALL_STATES, TERMINAL_CALL_STATES, type CallState } from '../../../contracts/calls';
import type { Role } from '../../../contracts/common';
import type { DomainEvent } from '../../../contracts/events';
import { operations, type OperationName } from '../../../contracts/operations';
import type { ResponseOf } from '../api/client';


/** Call shapes for the calls pages, all from the operations table. */
export type Call = ResponseOf<'listCalls'>['items'][number];
export type CallDetail = ResponseOf<'getCall'>;
export type Segment = CallDetail['transcript'][number];
export type TimelineEntry = CallDetail['timeline'][number];
export type Speaker = Segment['speaker'];

export const LIVE_STATES: readonly CallState[] = CALL_STATES.filter((s) => !TERMINAL_CALL_STATES.includes(s));
export const isLive = (state: CallState): boolean => !TERMINAL_CALL_STATES.includes(state);

/** Whether the role may call the operation: the same `access` list the server enforces. */
export function allowed(op: OperationName, role: Role): boolean {
  const access = operations[op].access;
  return access === 'public' || access === 'any' || (access as readonly string[]).includes(role);
}

/**
 * Whether the board shows the call to this person: an agent sees their own calls and their queues' (the server's
 * rule, src/call/supervision/scope.ts); a call transferred or taken over away from them leaves their board.
 */
export function seesCall(who: { role: Role; user: { id: string; queues: readonly string[] } | null }, call: Pick<Call, 'queue' | 'assigneeUserId'>): boolean {
  if (who.role !== 'agent' || !who.user) return true;
  return who.user.queues.includes(call.queue) || call.assigneeUserId === who.user.id;
}

/** 83_000 → "1:23"; 3_723_000 → "1:02:03". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Live duration: from answer (or start, while ringing) to end (or now). */
export function callDuration(call: Pick<Call, 'startedAt' | 'answeredAt' | 'endedAt' | 'durationMs'>, now: number): number | null {
  if (call.durationMs !== null) return call.durationMs;
  if (call.endedAt) return call.answeredAt ? Date.parse(call.endedAt) - Date.parse(call.answeredAt) : null;
  return now - Date.parse(call.answeredAt ?? call.startedAt);
}

export function callIdOf(event: DomainEvent): string | null {
  const id = event.data['callId'];
  return typeof id === 'string' ? id : null;
}

export interface LiveTurn { speaker: Speaker; text: string; final: boolean; startMs: number; endMs: number }

/** Every speaker of a transcript, in display order; 'human' is the person who took the call over. */
export const SPEAKERS: readonly Speaker[] = ['caller', 'agent', 'human'];
const SPEAKER_LABELS: Record<Speaker, string> = { caller: 'Caller', agent: 'Agent', human: 'Person' };
export const speakerLabel = (speaker: Speaker): string => SPEAKER_LABELS[speaker];

/** A `call.transcript` event's turn, or null when it is malformed. */
export function turnOf(event: DomainEvent): LiveTurn | null {
  const { speaker, text, final, startMs, endMs } = event.data;
  if (!(SPEAKERS as readonly unknown[]).includes(speaker) || typeof text !== 'string' || typeof startMs !== 'number' || typeof endMs !== 'number') return null;
  return { speaker: speaker as Speaker, text, final: final === true, startMs, endMs };
}

const asState = (value: unknown): CallState | null => (CALL_STATES as readonly unknown[]).includes(value) ? value as CallState : null;

/**
 * Applies a live call event to a call row (started/state/ended); returns the row unchanged for other events.
 * `call.started` builds a row from the event alone, so the board needs no reload.
 */
export function applyCallEvent(call: Call | undefined, event: DomainEvent): Call | undefined {
  const d = event.data;
  const id = callIdOf(event);
  if (!id) return call;
  if (event.type === 'call.started' && !call) {
    const direction = d['direction'] === 'outbound' ? 'outbound' : 'inbound';
    const carrier = d['carrier'] === 'twilio' || d['carrier'] === 'telnyx' ? d['carrier'] : 'browser';
    return {
      id, direction, carrier, carrierCallId: null, from: String(d['from'] ?? ''), to: String(d['to'] ?? ''), numberId: null,
      agentKind: String(d['agentKind'] ?? ''), state: asState(d['state']) ?? 'ringing', hangupCause: null, hangupSource: null,
      startedAt: event.at, answeredAt: null, endedAt: null, durationMs: null, recordingUrl: null, metadata: {},
      queue: typeof d['queue'] === 'string' ? d['queue'] : 'general', assigneeUserId: null, aiPaused: false,
      awaitingAssignee: false,
    };
  }
  if (!call) return call;
  // A person took the call over or handed it back to the AI (timeline events of the call view).
  if (event.type === 'call.event' && (d['type'] === 'takeover' || d['type'] === 'handback')) {
    const data = (d['data'] ?? {}) as Record<string, unknown>;
    return { ...call, aiPaused: d['type'] === 'takeover', assigneeUserId: typeof data['userId'] === 'string' ? data['userId'] : call.assigneeUserId,
      awaitingAssignee: d['type'] === 'takeover' ? false : call.awaitingAssignee };
  }
  // Transferred to an agent: held until they take it over (src/call/supervision/agent-transfer.ts).
  if (event.type === 'call.event' && d['type'] === AGENT_TRANSFER_EVENT) {
    const data = (d['data'] ?? {}) as Record<string, unknown>;
    return typeof data['toUserId'] === 'string' ? { ...call, assigneeUserId: data['toUserId'], awaitingAssignee: true } : call;
  }
  if (event.type === 'call.state') {
    const to = asState(d['to']);
    if (!to) return call;
    // Off hold (resumed or taken over), a transferred call no longer waits for its agent.
    const next: Call = { ...call, state: to, awaitingAssignee: to === 'on-hold' && call.awaitingAssignee };
    if (to === 'in-progress' && !call.answeredAt) next.answeredAt = event.at;
    if (!isLive(to)) { next.endedAt = event.at; next.hangupCause = typeof d['cause'] === 'string' ? d['cause'] : null; }
    return next;
  }
  if (event.type === 'call.ended') {
    const state = asState(d['state']) ?? call.state;
    return { ...call, state, endedAt: call.endedAt ?? event.at, durationMs: typeof d['durationMs'] === 'number' ? d['durationMs'] : call.durationMs };
  }
  return call;
}
