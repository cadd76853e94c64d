import type { AgentContext, AgentSession } from './agent.js';
import { ResponseTracker } from './barge-in.js';
import { HoldAudio } from './hold.js';
import type { CallJournal, CallRef } from './journal.js';
import type { CarrierLeg, HangupSource, LegEvents } from './leg.js';
import type { RecordingTap } from './recording/tap.js';
import { assertTransition, canTransition, isTerminal, type CallState } from './state.js';

export interface CallSessionOptions {
  callId: string;
  tenantId: string;
  state: CallState;
  leg: CarrierLeg;
  agent: AgentSession;
  journal: CallJournal;
  /** Records both sides while the call runs; null when recording is off. */
  tap: RecordingTap | null;
  clock?: () => number;
  /** Told once the call ended and everything was released. */
  onEnded?: (session: CallSession) => void;
  onError?: (err: unknown, what: string) => void;
}

/** A listener on a live call's media: caller frames (leg input format) and what is sent to the caller (output format). */
export interface MediaTap {
  caller?: (payload: Uint8Array, atMs: number) => void;
  outbound?: (payload: Uint8Array) => void;
  ended?: () => void;
}

/**
 * One live call: joins one carrier leg with one agent, owns the call's state machine, records both sides and
 * writes every change to the journal as it happens. Knows nothing of which carrier or agent it joins.
 */
export class CallSession {
  readonly callId: string;
  readonly tenantId: string;
  private readonly ref: CallRef;
  private current: CallState;
  private readonly leg: CarrierLeg;
  private readonly agent: AgentSession;
  private readonly journal: CallJournal;
  private readonly tap: RecordingTap | null;
  private readonly responses: ResponseTracker;
  private readonly marks = new Map<string, () => void>();
  private readonly clock: () => number;
  private readonly startedAt: number;
  private ending: Promise<void> | null = null;
  private readonly listeners: { [E in keyof LegEvents]: LegEvents[E] };
  /** A person took the call over: the AI agent neither hears the caller nor plays audio until resumed. */
  private aiPaused = false;
  private readonly taps = new Set<MediaTap>();
  /** On hold: the caller hears hold audio; the agent (and taps) get no caller audio and the agent plays nothing. */
  private holdAudio: HoldAudio | null = null;

  constructor(private readonly options: CallSessionOptions) {
    this.callId = options.callId;
    this.tenantId = options.tenantId;
    this.ref = { id: options.callId, tenantId: options.tenantId };
    this.current = options.state;
    this.leg = options.leg;
    this.agent = options.agent;
    this.journal = options.journal;
    this.tap = options.tap;
    this.clock = options.clock ?? (() => performance.now());
    this.startedAt = this.clock();
    this.responses = new ResponseTracker(this.leg);
    this.listeners = {
      audio: (payload, atMs) => {
        this.tap?.caller(payload, atMs);
        if (this.holdAudio) return; // recorded, but heard by nobody while on hold
        for (const t of this.taps) t.caller?.(payload, atMs);
        if (!this.aiPaused) this.agent.onCallerAudio(payload, atMs);
      },
      dtmf: (digit) => {
        this.journal.event(this.ref, 'dtmf', { digit, atMs: Math.round(this.nowMs()) });
        if (!this.holdAudio) this.agent.onDtmf(digit);
      },
      mark: (name) => {
        const done = this.marks.get(name);
        if (!done) return;
        this.marks.delete(name);
        done();
      },
      ended: (reason, source) => { void this.end('completed', reason, source); },
    };
  }

  get state(): CallState {
    return this.current;
  }

  get ended(): boolean {
    return this.ending !== null;
  }

  /** Media is flowing: the call is answered (if it was ringing) and the agent starts. */
  async start(): Promise<void> {
    for (const [event, listener] of Object.entries(this.listeners)) this.leg.on(event as keyof LegEvents, listener as never);
    if (this.current === 'ringing') this.moveTo('in-progress');
    try {
      await this.agent.start(this.context());
    } catch (err) {
      this.options.onError?.(err, 'agent start');
      await this.hangup('agent-error', 'platform', 'failed');
    }
  }

  nowMs(): number {
    return this.tap ? this.tap.recorder.nowMs() : this.clock() - this.startedAt;
  }

  get agentPaused(): boolean {
    return this.aiPaused;
  }

  /** Pauses (true) or resumes the AI agent; pausing drops what it still had queued for the caller. */
  setAgentPaused(paused: boolean): void {
    if (this.aiPaused === paused || this.ended) return;
    this.aiPaused = paused;
    if (paused) { this.responses.interrupt(); this.tap?.interrupt(); }
  }

  /** Audio from a person on the call (leg's output format): to the caller, the recording and the taps. */
  speak(payload: Uint8Array): void {
    if (this.ended || this.holdAudio) return;
    this.leg.sendAudio(payload);
    this.tap?.agent(payload);
    for (const t of this.taps) t.outbound?.(payload);
  }

  /** Watches the call's media (caller in, whatever the caller hears out) until the returned function is called. */
  addTap(tap: MediaTap): () => void {
    this.taps.add(tap);
    return () => { this.taps.delete(tap); };
  }

  get legFormats(): { input: CarrierLeg['inputFormat']; output: CarrierLeg['outputFormat'] } {
    return { input: this.leg.inputFormat, output: this.leg.outputFormat };
  }

  get onHold(): boolean {
    return this.holdAudio !== null;
  }

  /** Puts the caller on hold: the agent's queued audio is dropped, it stops hearing the caller, hold audio plays. */
  hold(): void {
    this.moveTo('on-hold');
    this.tellAgentHold(true); // first: an agent cut off mid-sentence measures what the caller heard (its barge-in)
    this.responses.interrupt();
    this.tap?.interrupt();
    this.holdAudio = new HoldAudio(this.leg, (payload) => {
      this.leg.sendAudio(payload);
      this.tap?.agent(payload);
      for (const t of this.taps) t.outbound?.(payload);
    });
  }

  /** Back from hold: the hold audio stops at once (the carrier's buffer is cleared), the agent hears and speaks again. */
  resume(): void {
    this.moveTo('in-progress');
    if (this.stopHold()) this.tellAgentHold(false);
  }

  private stopHold(): boolean {
    if (!this.holdAudio) return false;
    this.holdAudio.stop();
    this.holdAudio = null;
    this.responses.interrupt();
    this.tap?.interrupt();
    return true;
  }

  private tellAgentHold(held: boolean): void {
    try {
      this.agent.onHold?.(held);
    } catch (err) {
      this.options.onError?.(err, 'agent hold');
    }
  }

  /** Cold transfer at the carrier; the call then leaves the platform (completed, cause "transferred"). */
  async transfer(to: string): Promise<void> {
    this.moveTo('transferring');
    if (this.stopHold()) this.tellAgentHold(false);
    this.journal.event(this.ref, 'transfer.requested', { to });
    try {
      await this.leg.transfer(to);
    } catch (err) {
      this.journal.event(this.ref, 'transfer.failed', { to, error: err instanceof Error ? err.message : String(err) });
      if (!this.ended) this.moveTo('in-progress');
      throw err;
    }
    this.leg.close();
    await this.end('completed', 'transferred', 'platform');
  }

  /** Ends the call at the carrier and here. A carrier error is reported but the call still ends here. */
  async hangup(reason: string, source: HangupSource, state: CallState = 'completed'): Promise<void> {
    if (this.ending) return this.ending;
    const ending = this.end(state, reason, source);
    await this.leg.hangup(reason).catch((err: unknown) => this.options.onError?.(err, 'leg hangup'));
    await ending;
  }

  /** Moves to a terminal state once, then releases the agent, the leg's listeners and the recording. */
  end(state: CallState, cause: string, source: HangupSource): Promise<void> {
    this.ending ??= this.release(state, cause, source);
    return this.ending;
  }

  private async release(state: CallState, cause: string, source: HangupSource): Promise<void> {
    if (!isTerminal(this.current)) {
      this.moveTo(canTransition(this.current, state) ? state : 'completed', { cause, source });
    }
    for (const [event, listener] of Object.entries(this.listeners)) this.leg.off(event as keyof LegEvents, listener as never);
    this.holdAudio?.stop();
    for (const done of this.marks.values()) done();
    this.marks.clear();
    for (const t of this.taps) t.ended?.();
    this.taps.clear();
    await this.agent.close(cause).catch((err: unknown) => this.options.onError?.(err, 'agent close'));
    if (this.tap) {
      try {
        const saved = await this.tap.recorder.close();
        this.journal.recording(this.ref, { path: this.tap.recorder.path, ...saved });
      } catch (err) {
        this.options.onError?.(err, 'recording close');
      }
    }
    this.options.onEnded?.(this);
  }

  private moveTo(to: CallState, detail: { cause?: string; source?: HangupSource } = {}): void {
    const from = this.current;
    assertTransition(from, to);
    this.current = to;
    this.journal.state(this.ref, { from, to, at: new Date(), ...detail });
  }

  private context(): AgentContext {
    const { leg, journal, ref } = this;
    return {
      callId: this.callId,
      tenantId: this.tenantId,
      inputFormat: leg.inputFormat,
      outputFormat: leg.outputFormat,
      nowMs: () => this.nowMs(),
      play: (payload) => {
        if (this.ended || this.aiPaused || this.holdAudio) return;
        this.responses.beforePlay();
        leg.sendAudio(payload);
        this.tap?.agent(payload);
        for (const t of this.taps) t.outbound?.(payload);
      },
      interrupt: () => {
        const { heardMs, droppedMs } = this.responses.interrupt();
        this.tap?.interrupt();
        if (droppedMs > 0) journal.event(ref, 'barge-in', { heardMs, droppedMs, atMs: Math.round(this.nowMs()) });
        return heardMs;
      },
      mark: (name, onPlayed) => {
        if (onPlayed) this.marks.set(name, onPlayed);
        leg.mark(name);
      },
      hangup: (reason, source = 'agent') => this.hangup(reason, source),
      transfer: (to) => this.transfer(to),
      transcript: (turn) => journal.transcript(ref, turn),
      event: (type, data) => journal.event(ref, type, data),
    };
  }
}
