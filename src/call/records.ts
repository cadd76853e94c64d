import { randomUUID } from 'node:crypto';
import { CALL_EVENT_TYPES, CALL_STATES } from '../contracts/calls.js';
import type { CallStartedData } from '../contracts/events.js';
import type { Bus } from '../infra/bus.js';
import type { Logger } from '../infra/logger.js';
import type { Repositories } from '../store/index.js';
import type { CallPatch, CallRow } from '../store/repositories/calls.js';
import type { TranscriptTurn } from './agent.js';
import type { CallJournal, CallRef, StateChange } from './journal.js';
import { isTerminal } from './state.js';

const LIVE_STATES = CALL_STATES.filter((s) => !isTerminal(s));

/**
 * The journal over the store and the bus: every change of a call is written as it happens (one ordered queue per
 * call, so the timeline reads in the order things happened) and published for the console. State changes are
 * compare-and-set in the database: when a carrier webhook on one instance and a media socket on another both end
 * a call, one wins and the timeline says it once.
 */
export class CallRecords implements CallJournal {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: { repos: Pick<Repositories, 'calls' | 'callTimeline'>; bus: Bus; log: Logger; onPublish?: (type: string) => void }) {}

  /** A call row was just created. */
  created(row: CallRow): void {
    const call = { id: row.id, tenantId: row.tenantId };
    this.enqueue(call, async () => {
      await this.deps.repos.callTimeline.append({ callId: call.id, tenantId: call.tenantId, type: 'state', at: row.startedAt, data: { to: row.state } });
      // A widget call names its contact, so the contact's console page shows the call as it starts.
      const contactId = row.metadata['contactId'];
      const data: Omit<CallStartedData, 'callId'> = {
        direction: row.direction, carrier: row.carrier, from: row.fromNumber, to: row.toNumber, agentKind: row.agentKind, state: row.state, queue: row.queue,
        ...(typeof contactId === 'string' ? { contactId } : {}),
      };
      await this.publish(call, CALL_EVENT_TYPES.started, data);
    });
  }

  state(call: CallRef, change: StateChange): void {
    this.enqueue(call, async () => {
      const terminal = isTerminal(change.to);
      const patch: CallPatch = {};
      if (change.to === 'in-progress' && change.from === 'ringing') patch.answeredAt = change.at;
      if (terminal) Object.assign(patch, { endedAt: change.at, hangupCause: change.cause ?? null, hangupSource: change.source ?? null });
      const row = await this.deps.repos.calls.transition(call.id, change.onlyFrom ?? (terminal ? LIVE_STATES : [change.from]), change.to, patch);
      if (!row) return; // someone else recorded this change (or a later one) first
      const data = { from: change.from, to: change.to, ...(change.cause ? { cause: change.cause } : {}), ...(change.source ? { source: change.source } : {}) };
      await this.deps.repos.callTimeline.append({ callId: call.id, tenantId: call.tenantId, type: 'state', at: change.at, data });
      await this.publish(call, CALL_EVENT_TYPES.state, data);
      if (terminal) {
        const durationMs = row.answeredAt && row.endedAt ? row.endedAt.getTime() - row.answeredAt.getTime() : null;
        await this.publish(call, CALL_EVENT_TYPES.ended, { state: change.to, cause: change.cause ?? null, source: change.source ?? null, durationMs });
      }
    });
  }

  event(call: CallRef, type: string, data: Record<string, unknown> = {}): void {
    const at = new Date();
    this.enqueue(call, async () => {
      await this.deps.repos.callTimeline.append({ callId: call.id, tenantId: call.tenantId, type, at, data });
      await this.publish(call, CALL_EVENT_TYPES.timeline, { type, data });
    });
  }

  /** Partial turns only go to the bus (live captions); final ones are stored too. */
  transcript(call: CallRef, turn: TranscriptTurn): void {
    const data = { speaker: turn.speaker, text: turn.text, final: turn.final, startMs: Math.round(turn.startMs), endMs: Math.round(turn.endMs) };
    if (!turn.final) { void this.publish(call, CALL_EVENT_TYPES.transcript, data); return; }
    this.enqueue(call, async () => {
      await this.deps.repos.callTimeline.addSegment({ callId: call.id, tenantId: call.tenantId, speaker: turn.speaker, text: turn.text, startMs: turn.startMs, endMs: turn.endMs });
      await this.publish(call, CALL_EVENT_TYPES.transcript, data);
    });
  }

  recording(call: CallRef, info: { path: string; durationMs: number; bytes: number }): void {
    this.event(call, 'recording.saved', { durationMs: Math.round(info.durationMs), bytes: info.bytes });
  }

  /** Resolves once everything queued for the call so far is stored. */
  settled(callId: string): Promise<void> {
    return this.queues.get(callId) ?? Promise.resolve();
  }

  async drain(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  private enqueue(call: CallRef, task: () => Promise<void>): void {
    const next = (this.queues.get(call.id) ?? Promise.resolve()).then(task).catch((err: unknown) => {
      this.deps.log.error({ err, callId: call.id }, 'writing the call record failed');
    });
    this.queues.set(call.id, next);
    void next.then(() => { if (this.queues.get(call.id) === next) this.queues.delete(call.id); });
  }

  private async publish(call: CallRef, type: string, data: Record<string, unknown>): Promise<void> {
    this.deps.onPublish?.(type);
    await this.deps.bus.publish({ id: randomUUID(), type, tenantId: call.tenantId, at: new Date().toISOString(), data: { callId: call.id, ...data } })
      .catch((err: unknown) => this.deps.log.warn({ err, type }, 'publishing a call event failed'));
  }
}
