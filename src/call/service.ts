import { randomUUID } from 'node:crypto';
import type { Call, CreateCallRequest } from '../contracts/calls.js';
import type { DomainEvent } from '../contracts/events.js';
import type { CarrierCredentials } from '../contracts/telephony.js';
import type { Bus } from '../infra/bus.js';
import type { Logger } from '../infra/logger.js';
import type { TokenSigner } from '../infra/tokens.js';
import type { Repositories } from '../store/index.js';
import type { CallListQuery, CallRow, NewCallRow } from '../store/repositories/calls.js';
import type { PhoneNumberRow } from '../store/repositories/phone-numbers.js';
import type { AgentSession } from './agent.js';
import type { AgentRegistry } from './agents/registry.js';
import type { CarrierAccounts } from './carrier-accounts.js';
import type { CarrierClients } from './carriers.js';
import { answerControl, requestControl, type ControlHandler, type ControlReply } from './control-request.js';
import { callNotFound } from './errors.js';
import { applyHold, setCallHold } from './hold-control.js';
import { dial, hangupAtCarrier, transfer } from './outbound.js';
import type { CarrierLeg, HangupSource } from './leg.js';
import { CallRecords } from './records.js';
import { DualChannelRecorder } from './recording/recorder.js';
import type { RecordingStore } from './recording/store.js';
import { RecordingTap } from './recording/tap.js';
import { RingingSweeper } from './ringing-sweeper.js';
import { CallSession } from './session.js';
import { inScope, queueOf, type CallScope } from './supervision/scope.js';
import type { Transcriber } from './supervision/live-transcript.js';
import { applyAiPause, resumeAi, takeover, type Supervisor } from './supervision/takeover.js';
import { transferToAgent, type TransferTarget } from './supervision/agent-transfer.js';
import { canTransition, isTerminal, type CallState } from './state.js';
import { toCall, toTimelineEntry, toTranscriptSegment } from './views.js';

export const MEDIA_TOKEN_AUDIENCE = 'call-media';

/** Call status as carriers report it, mapped by each carrier module from its own vocabulary. */
export type CarrierCallStatus = 'initiated' | 'ringing' | 'answered' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** Whose request a carrier webhook is: found before its signature is checked, with the secrets to check it. */
export interface CarrierRoute {
  tenantId: string;
  credentials: CarrierCredentials | null;
  number: PhoneNumberRow | null;
  call: CallRow | null;
}

export type AdmitResult =
  | { ok: true; call: Call; tenantId: string; created: boolean }
  | { ok: false; reason: 'unknown-number' | 'unknown-call' | 'agent-unavailable' | 'call-ended' | 'feature-disabled' };

/** The tenant's feature flags, as the call layer sees them (`inbound-calls`, `outbound-calls`, `call-recording`). */
export interface CallFeatures {
  isEnabled(tenantId: string, flag: string): Promise<boolean>;
}

export interface CallServiceOptions {
  repos: Pick<Repositories, 'calls' | 'callTimeline' | 'phoneNumbers'>;
  bus: Bus;
  log: Logger;
  signer: TokenSigner;
  accounts: CarrierAccounts;
  clients: CarrierClients;
  agents: AgentRegistry;
  /** Null: calls are not recorded. */
  recordings: RecordingStore | null;
  recorder?: { flushIntervalMs?: number; lagMs?: number; clock?: () => number };
  onPublish?: (type: string) => void;
  /** Absent: every feature is on (unit tests of the call layer). */
  features?: CallFeatures;
  /** Calls ringing longer than this (their media never came) are ended; absent: no sweeping. */
  ringTimeoutMs?: number;
  /** This instance, recorded on the calls whose media it holds (supervisor sockets must reach it). */
  instanceId?: string;
  /** Speech to text for taken-over calls (the caller and the person); absent: they are not transcribed. */
  transcriber?: Transcriber | null;
}

const TERMINAL_FOR: Partial<Record<CarrierCallStatus, CallState>> = {
  'completed': 'completed', 'canceled': 'completed', 'busy': 'busy', 'no-answer': 'no-answer', 'failed': 'failed',
};

/**
 * Calls of every carrier: admits them from carrier webhooks (idempotently), joins a media leg with an agent in a
 * live `CallSession`, applies carrier status updates, and answers the API (list, detail, hang-up, transfer, dial
 * through `outbound.ts`). Live sessions are per instance; a hang-up for a call live elsewhere goes over the bus.
 */
export class CallService {
  readonly records: CallRecords;
  private readonly live = new Map<string, CallSession>();
  /** The agent of each live call here (a supervisor's provider switch reaches it). */
  private readonly liveAgents = new Map<string, AgentSession>();
  private readonly attaching = new Set<string>();
  private readonly watched = new Map<string, { stop: () => void; calls: number }>();
  /** Actions other layers answer for calls live here, asked from another instance (src/call/control-request.ts). */
  private readonly controlHandlers = new Map<string, ControlHandler>();

  private readonly sweeper: RingingSweeper | null;

  constructor(readonly options: CallServiceOptions) {
    this.records = new CallRecords({ repos: options.repos, bus: options.bus, log: options.log, ...(options.onPublish ? { onPublish: options.onPublish } : {}) });
    this.sweeper = options.ringTimeoutMs ? new RingingSweeper({
      ringTimeoutMs: options.ringTimeoutMs, intervalMs: Math.max(1000, Math.min(30_000, options.ringTimeoutMs / 4)), log: options.log,
      findStale: (before, limit) => options.repos.calls.ringingSince(before, limit),
      expire: (row) => this.expireRinging(row),
    }) : null;
    this.sweeper?.start();
  }

  /** Ends every call ringing past the timeout now (the sweeper does this on its own interval); answers how many. */
  sweepRinging(): Promise<number> {
    return this.sweeper?.sweep() ?? Promise.resolve(0);
  }

  // ── carrier-facing ────────────────────────────────────────────────────────────────────────────────────────

  /** Which tenant a carrier request belongs to, and its credentials for checking the request's signature. */
  async route(request: { carrier: string; to?: string; callId?: string; carrierCallId?: string }): Promise<CarrierRoute | null> {
    const { repos } = this.options;
    let call: CallRow | null = null;
    let number: PhoneNumberRow | null = null;
    if (request.callId) call = await repos.calls.byIdAnyTenant(request.callId);
    else if (request.carrierCallId) call = await repos.calls.byCarrierId(request.carrier, request.carrierCallId);
    if (call && call.carrier !== request.carrier) call = null;
    if (call?.numberId) number = await repos.phoneNumbers.byId(call.tenantId, call.numberId);
    if (!call && request.to) {
      number = await repos.phoneNumbers.byNumber(request.to);
      if (number && number.carrier !== request.carrier) number = null;
    }
    const tenantId = call?.tenantId ?? number?.tenantId;
    if (!tenantId) return null;
    return { tenantId, number, call, credentials: await this.options.accounts.credentials(tenantId, request.carrier) };
  }

  /**
   * A carrier says a call exists: the incoming-call webhook (found by the `to` number), or the answer webhook of an
   * outbound call we placed (`callId`, carried through the carrier). The same webhook twice is one call.
   */
  async admitCall(input: { carrier: 'twilio' | 'telnyx'; carrierCallId: string; from: string; to: string; callId?: string; metadata?: Record<string, unknown> }): Promise<AdmitResult> {
    const { repos, agents } = this.options;
    if (input.callId) {
      const row = await repos.calls.byIdAnyTenant(input.callId);
      if (!row || row.carrier !== input.carrier) return { ok: false, reason: 'unknown-call' };
      const bound = await repos.calls.bindCarrierId(row.id, input.carrierCallId);
      if (!bound) return { ok: false, reason: 'unknown-call' };
      return isTerminal(bound.state as CallState) ? { ok: false, reason: 'call-ended' } : { ok: true, call: toCall(bound), tenantId: bound.tenantId, created: false };
    }
    const existing = await repos.calls.byCarrierId(input.carrier, input.carrierCallId);
    if (existing) {
      return isTerminal(existing.state as CallState) ? { ok: false, reason: 'call-ended' } : { ok: true, call: toCall(existing), tenantId: existing.tenantId, created: false };
    }
    const number = await repos.phoneNumbers.byNumber(input.to);
    if (!number || number.carrier !== input.carrier) return { ok: false, reason: 'unknown-number' };
    if (!agents.has(number.agentKind)) return { ok: false, reason: 'agent-unavailable' };
    if (!(await this.featureOn(number.tenantId, 'inbound-calls'))) return { ok: false, reason: 'feature-disabled' };
    const { call, created } = await this.openCall({
      tenantId: number.tenantId, direction: 'inbound', carrier: input.carrier, carrierCallId: input.carrierCallId,
      fromNumber: input.from, toNumber: input.to, numberId: number.id, agentKind: number.agentKind, metadata: input.metadata ?? {},
      queue: queueOf(number.options),
    });
    return { ok: true, call: toCall(call), tenantId: call.tenantId, created };
  }

  /** A browser-voice session socket joined: its call (one per session). */
  async admitBrowserCall(input: { tenantId: string; sessionId: string; from: string; to: string; agentKind: string; metadata?: Record<string, unknown> }): Promise<Call> {
    const { call } = await this.openCall({
      tenantId: input.tenantId, direction: 'inbound', carrier: 'browser', carrierCallId: input.sessionId, fromNumber: input.from,
      toNumber: input.to, numberId: null, agentKind: input.agentKind, metadata: { sessionId: input.sessionId, ...input.metadata },
    });
    return toCall(call);
  }

  /**
   * The call's media arrived (media socket `start`): joins the leg with the call's agent and starts recording.
   * Null when the call is unknown, ended, or already has a leg; the caller then closes the stream.
   */
  async attach(call: { tenantId: string; callId: string }, leg: CarrierLeg): Promise<CallSession | null> {
    const { repos, agents, log } = this.options;
    const row = await repos.calls.byId(call.tenantId, call.callId);
    if (!row || isTerminal(row.state as CallState) || this.live.has(row.id) || this.attaching.has(row.id)) return null;
    this.attaching.add(row.id);
    try {
      const number = row.numberId ? await repos.phoneNumbers.byId(row.tenantId, row.numberId) : null;
      const ref = { id: row.id, tenantId: row.tenantId };
      let agent;
      try {
        agent = agents.create({
          kind: row.agentKind, tenantId: row.tenantId, callId: row.id, direction: row.direction as 'inbound' | 'outbound', from: row.fromNumber,
          to: row.toNumber, flowId: number?.flowId ?? metadataFlow(row.metadata), greeting: number?.greeting ?? null, options: number?.options ?? {},
          metadata: row.metadata ?? {},
        });
      } catch (err) {
        log.warn({ err, callId: row.id, agentKind: row.agentKind }, 'no agent for the call');
        this.records.state(ref, { from: row.state as CallState, to: 'failed', at: new Date(), cause: 'agent-unavailable', source: 'platform' });
        return null;
      }
      const session = new CallSession({
        callId: row.id, tenantId: row.tenantId, state: row.state as CallState, leg, agent, journal: this.records,
        tap: await this.openTap(row, leg),
        ...(this.options.recorder?.clock ? { clock: this.options.recorder.clock } : {}),
        onEnded: (s) => this.forget(s),
        onError: (err, what) => log.warn({ err, callId: row.id, what }, 'call session error'),
      });
      this.live.set(row.id, session);
      this.liveAgents.set(row.id, agent);
      this.watch(row.tenantId);
      if (this.options.instanceId) {
        void repos.calls.setMediaInstance(row.id, this.options.instanceId).catch((err: unknown) => log.warn({ err, callId: row.id }, 'cannot record the media instance'));
      }
      await session.start();
      return session;
    } finally {
      this.attaching.delete(row.id);
    }
  }

  /**
   * A carrier status callback. `callId` (carried in the callback URL or client state of calls we placed) finds
   * an outbound call even before `dial` returned its carrier id. Unknown calls answer null (the carrier still gets 200).
   */
  async carrierStatus(input: { carrier: string; carrierCallId: string; status: CarrierCallStatus; cause?: string; source?: HangupSource; callId?: string }): Promise<Call | null> {
    const { calls } = this.options.repos;
    let row = input.callId ? await calls.byIdAnyTenant(input.callId) : await calls.byCarrierId(input.carrier, input.carrierCallId);
    if (row && input.callId) row = row.carrier === input.carrier ? await calls.bindCarrierId(row.id, input.carrierCallId) : null;
    if (!row) return null;
    const ref = { id: row.id, tenantId: row.tenantId };
    const state = row.state as CallState;
    const live = this.live.get(row.id);
    const target = TERMINAL_FOR[input.status];
    if (target) {
      const cause = input.cause ?? input.status;
      const source = input.source ?? 'carrier';
      if (live) await live.end(target, cause, source);
      else if (!isTerminal(state)) this.records.state(ref, { from: state, to: canTransition(state, target) ? target : 'completed', at: new Date(), cause, source });
    } else if (input.status === 'answered' && state === 'ringing' && !live) {
      this.records.state(ref, { from: state, to: 'in-progress', at: new Date() });
    } else {
      this.records.event(ref, `carrier.${input.status}`);
    }
    await this.records.settled(row.id);
    return this.get(row.tenantId, row.id);
  }

  /** Signed token binding a media stream to its call (Twilio `<Parameter>`, Telnyx client_state or stream URL). */
  mediaToken(call: { id: string; tenantId: string }, ttlMs = 4 * 3600_000): string {
    return this.options.signer.sign({ aud: MEDIA_TOKEN_AUDIENCE, sub: call.id, tenantId: call.tenantId, exp: Date.now() + ttlMs });
  }

  verifyMediaToken(token: string): { ok: true; callId: string; tenantId: string } | { ok: false; reason: string } {
    const verdict = this.options.signer.verify(token, MEDIA_TOKEN_AUDIENCE);
    return verdict.ok ? { ok: true, callId: verdict.claims.sub, tenantId: verdict.claims.tenantId } : verdict;
  }

  // ── API ───────────────────────────────────────────────────────────────────────────────────────────────────

  /** Calls the scope may see (an agent: own and queue's; null scope: all). */
  async list(tenantId: string, query: CallListQuery, scope: CallScope = null) {
    const page = await this.options.repos.calls.list(tenantId, { ...query, visibleTo: scope });
    return { items: page.items.map(toCall), nextCursor: page.nextCursor };
  }

  /** Null when the call does not exist or is outside the scope (the same 404 either way: no probing). */
  async get(tenantId: string, id: string, scope: CallScope = null): Promise<Call | null> {
    const row = await this.options.repos.calls.byId(tenantId, id);
    return row && inScope(scope, row) ? toCall(row) : null;
  }

  async detail(tenantId: string, id: string, scope: CallScope = null) {
    const row = await this.options.repos.calls.byId(tenantId, id);
    if (!row || !inScope(scope, row)) return null;
    const [events, segments] = await Promise.all([
      this.options.repos.callTimeline.events(tenantId, id), this.options.repos.callTimeline.segments(tenantId, id),
    ]);
    return { ...toCall(row), timeline: events.map(toTimelineEntry), transcript: segments.map(toTranscriptSegment) };
  }

  /** Hangs up wherever the call lives: here, at the carrier, or on another instance (over the bus). */
  async hangup(tenantId: string, id: string, reason: string): Promise<Call> {
    const row = await this.options.repos.calls.byId(tenantId, id);
    if (!row) throw callNotFound();
    const live = this.live.get(id);
    if (live) await live.hangup(reason, 'platform');
    else if (!isTerminal(row.state as CallState)) {
      // The carrier ends the media wherever it runs; otherwise the instance holding the leg is asked over the bus.
      if (!(await hangupAtCarrier(this, row, reason))) await this.control(row, { action: 'hangup', reason });
      this.records.state({ id, tenantId }, { from: row.state as CallState, to: 'completed', at: new Date(), cause: reason, source: 'platform' });
    }
    await this.records.settled(id);
    return (await this.get(tenantId, id))!;
  }

  /** Outbound call through the tenant's carrier (409 when none is configured). */
  dial(tenantId: string, input: CreateCallRequest): Promise<Call> {
    return dial(this, tenantId, input);
  }

  /** Cold transfer to an E.164 number or SIP URI. */
  transfer(tenantId: string, id: string, to: string): Promise<Call> {
    return transfer(this, tenantId, id, to);
  }

  /** Holds the call for an agent, who then takes it over (src/call/supervision/agent-transfer.ts). */
  transferToAgent(tenantId: string, id: string, who: Supervisor, target: TransferTarget | null): Promise<Call> {
    return transferToAgent(this, tenantId, id, who, target);
  }

  /** Pauses the AI agent; the user becomes the call's assignee (src/call/supervision/takeover.ts). */
  takeover(tenantId: string, id: string, who: Supervisor): Promise<Call> {
    return takeover(this, tenantId, id, who);
  }

  /** Hands a taken-over call back to its AI agent. */
  resumeAi(tenantId: string, id: string, who: Supervisor): Promise<Call> {
    return resumeAi(this, tenantId, id, who);
  }

  /** Puts the call on hold (hold audio; the AI neither hears nor speaks) or takes it off hold (src/call/hold-control.ts). */
  setHold(tenantId: string, id: string, who: Supervisor, held: boolean): Promise<Call> {
    return setCallHold(this, tenantId, id, who, held);
  }

  /** The live session of a call on this instance, if any. */
  session(callId: string): CallSession | undefined {
    return this.live.get(callId);
  }

  /** The agent of a call live on this instance, if any. */
  agentOf(callId: string): AgentSession | undefined {
    return this.liveAgents.get(callId);
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** Creates a call row once per (carrier, carrierCallId) and records its start. */
  async openCall(row: Omit<NewCallRow, 'id' | 'state'> & { state?: CallState }): Promise<{ call: CallRow; created: boolean }> {
    const result = await this.options.repos.calls.createOrGet({ ...row, id: randomUUID(), state: row.state ?? 'ringing' });
    if (result.created) this.records.created(result.call);
    return result;
  }

  /** Whether a feature flag is on for the tenant (always, when the service was built without flags). */
  async featureOn(tenantId: string, flag: string): Promise<boolean> {
    return this.options.features ? this.options.features.isEnabled(tenantId, flag) : true;
  }

  /** Shutdown: live calls end as failed ("instance-shutdown") with their records and recordings closed. */
  async close(): Promise<void> {
    await this.sweeper?.stop();
    await Promise.all([...this.live.values()].map((s) => s.hangup('instance-shutdown', 'platform', 'failed')));
    await this.records.drain();
    for (const { stop } of this.watched.values()) stop();
    this.watched.clear();
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────────────────

  /** A call whose media never came: recorded as failed (only if still ringing), then hung up at its carrier. */
  private async expireRinging(row: CallRow): Promise<void> {
    if (this.live.has(row.id) || this.attaching.has(row.id)) return;
    const ref = { id: row.id, tenantId: row.tenantId };
    this.records.state(ref, { from: 'ringing', to: 'failed', at: new Date(), cause: 'media-timeout', source: 'platform', onlyFrom: ['ringing'] });
    await this.records.settled(row.id);
    const now = await this.options.repos.calls.byId(row.tenantId, row.id);
    if (now?.state !== 'failed' || now.hangupCause !== 'media-timeout') return; // its media arrived meanwhile
    this.options.log.warn({ callId: row.id, carrier: row.carrier, startedAt: row.startedAt }, 'call ended: its media never came');
    await hangupAtCarrier(this, now, 'media-timeout').catch(() => false);
  }

  private async openTap(row: CallRow, leg: CarrierLeg): Promise<RecordingTap | null> {
    const { recordings, recorder, log } = this.options;
    if (!recordings || !(await this.featureOn(row.tenantId, 'call-recording'))) return null;
    const path = recordings.pathFor(row.tenantId, row.id);
    try {
      const opened = await DualChannelRecorder.open(path.absolute, { sampleRate: leg.inputFormat.sampleRate, ...recorder });
      await this.options.repos.calls.setRecording(row.id, path.relative);
      return new RecordingTap(opened, leg.inputFormat, leg.outputFormat);
    } catch (err) {
      log.error({ err, callId: row.id }, 'cannot record the call');
      return null;
    }
  }

  private forget(session: CallSession): void {
    this.live.delete(session.callId);
    this.liveAgents.delete(session.callId);
    const watch = this.watched.get(session.tenantId);
    if (watch && --watch.calls <= 0) { watch.stop(); this.watched.delete(session.tenantId); }
  }

  /** While this instance has live calls of a tenant, it listens for control requests from the other instances. */
  private watch(tenantId: string): void {
    const existing = this.watched.get(tenantId);
    if (existing) { existing.calls++; return; }
    const stop = this.options.bus.subscribe(tenantId, (event: DomainEvent) => {
      if (event.type !== 'call.control') return;
      const live = this.live.get(String(event.data['callId']));
      if (!live) return;
      if (event.data['action'] === 'hangup') void live.hangup(String(event.data['reason'] ?? 'ended-by-api'), 'platform');
      // A hand-back asked on another instance (src/call/supervision/takeover.ts).
      else if (event.data['action'] === 'resume-ai') applyAiPause(this, live, false);
      else if (event.data['action'] === 'hold' || event.data['action'] === 'resume') applyHold(live, event.data['action'] === 'hold');
      else void answerControl(this.options.bus, this.controlHandlers, event);
    });
    this.watched.set(tenantId, { stop, calls: 1 });
  }

  /** Answers `action` requests from other instances for calls live here (e.g. a manual provider switch). */
  handleControl(action: string, handler: ControlHandler): void {
    this.controlHandlers.set(action, handler);
  }

  /** Asks the instance holding the call's leg to run `action` and waits for its answer; null: none in time. */
  requestControl(row: CallRow, action: string, data: Record<string, unknown>, timeoutMs: number): Promise<ControlReply | null> {
    return requestControl(this.options.bus, { tenantId: row.tenantId, callId: row.id }, action, data, timeoutMs);
  }

  /** Asks the instance holding the call's leg to act on it (over the bus). */
  async control(row: CallRow, data: { action: 'hangup'; reason: string } | { action: 'resume-ai' } | { action: 'hold' | 'resume' }): Promise<void> {
    await this.options.bus.publish({ id: randomUUID(), type: 'call.control', tenantId: row.tenantId, at: new Date().toISOString(), data: { callId: row.id, ...data } })
      .catch((err: unknown) => this.options.log.warn({ err }, 'publishing a call control request failed'));
  }
}

/** A call without a number (a browser call) names its flow in its metadata. */
function metadataFlow(metadata: Record<string, unknown> | null | undefined): string | null {
  const flow = metadata?.['flow'];
  return typeof flow === 'string' && flow !== '' ? flow : null;
}
