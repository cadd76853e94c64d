/**
 * `FailoverSession` is an `AiSession` over a list of provider sessions: it forwards the current one's events and,
 * when that provider fails (socket closed, error, rate limited, stall: no reply within `stallMs` of one being
 * owed, or a gap inside a response), opens the next candidate seeded with the instructions, tools and the
 * conversation so far, and resumes: the pending caller turn is answered again (its final is not repeated), a
 * caller turn in progress is replayed from buffered audio, a greeting is said again. Partial agent output the
 * caller did not hear completely is closed with `interrupted` + `turn_end: interrupted` and left out of the
 * history. Times and response ids are mapped onto one timeline. `onSwitch` reports each switch with timings.
 */
import { performance } from 'node:perf_hooks';
import { audioMs } from '../audio-format.js';
import { AiError } from '../errors.js';
import { AiSessionBase } from '../session-base.js';
import type { AiEvent, AiSession, AiSessionOptions, ConversationTurn, ProviderHooks } from '../session.js';
import { LocalTurns } from './local-turns.js';

export interface ProviderCandidate {
  name: string;
  create(): AiSession;
}

/** `manual`: an operator's request; `rollover`: a planned move to a fresh session before the provider's cap. */
export type SwitchReason = 'closed' | 'error' | 'rate_limited' | 'stall' | 'manual' | 'rollover';

export interface ProviderSwitch {
  from: string;
  to: string;
  reason: SwitchReason;
  detail: string;
  /** `performance.now()` when the failure was noticed. */
  detectedAt: number;
  /** Failure noticed this long after the provider last showed life or owed a reply (stalls: ≈ `stallMs`). */
  detectionMs: number;
  /** Noticed → the next provider started and the conversation resumed. */
  switchMs: number;
  /** Sessions opened to get there (1 = the first candidate answered). */
  attempts: number;
  resumed: 'caller_turn' | 'replayed_audio' | 'greeting' | 'tool_result' | 'idle';
}

export type ProviderOutcome = { ok: true; latencyMs?: number } | { ok: false; kind: SwitchReason | 'start_failed'; reason: string };

export interface FailoverOptions {
  /**
   * Candidates in the order to try (the router's policy); called again at each switch. Called with `peek: true`
   * when the names are only read (`providerNames`): it must then not advance the policy (round robin).
   */
  candidates: ProviderCandidate[] | ((options?: { peek?: boolean }) => ProviderCandidate[]);
  /** A reply owed (or a response gone quiet) for this long is a stall (default 1500). */
  stallMs?: number;
  /** A candidate's `start()` must resolve within this (default 3000). */
  startTimeoutMs?: number;
  /** Opening attempts per candidate for retryable errors, with exponential backoff + jitter (default 2). */
  attemptsPerProvider?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Watch the caller audio with a local VAD: an utterance the provider ignores entirely is a stall (default true). */
  localVad?: boolean;
  /** Caller audio kept for replay (default 20000 ms). */
  bufferMs?: number;
  random?: () => number;
  /** Passive health: every start, failure and stall of a provider. */
  report?: (provider: string, outcome: ProviderOutcome) => void;
  hooks?: ProviderHooks;
}

interface Buffered { atMs: number; frame: Uint8Array }

const PRE_ROLL_MS = 300;

export class FailoverSession extends AiSessionBase implements AiSession {
  private readonly config: Required<Omit<FailoverOptions, 'report' | 'hooks' | 'candidates'>> & Pick<FailoverOptions, 'report' | 'candidates'>;
  private current: AiSession | undefined;
  private currentName = 'failover';
  private gen = 0;
  private startOptions: AiSessionOptions | undefined;
  private history: ConversationTurn[] = [];
  private inputPos = 0;
  private offset = 0;
  private buffer: Buffered[] = [];
  private switching = false;
  private closing = false;
  private retiredRejected = 0;
  private readonly switchListeners = new Set<(event: ProviderSwitch) => void>();
  readonly switches: ProviderSwitch[] = [];
  // Conversation state.
  private callerPhase: 'idle' | 'speaking' | 'stopped' = 'idle';
  private callerTurnStartMs = 0;
  private pendingCaller: string | undefined;
  /** The pending caller turn's final was already forwarded (so the next provider's is not). */
  private pendingCallerFinal = false;
  private greetingPending = false;
  private toolResumePending = false;
  private responseOpen: string | undefined;
  private hadResponse = false;
  private readonly toolCalls = new Map<string, { gen: number; name: string; arguments: Record<string, unknown> }>();
  private localTurns: LocalTurns | undefined;
  /** An utterance the local VAD heard; `acked` once the provider reported speech for it. */
  private localTurn: { startMs: number; acked: boolean } | undefined;
  private switchCount = 0;
  private switchStartPos = 0;
  private suppress = { speechStarted: 0, speechStopped: 0, callerFinal: undefined as string | undefined };
  // Stall watch.
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private owedSince: number | undefined;
  private lastLife = performance.now();
  /** A session cap announced (`going_away`): roll over at the next quiet moment, or at the deadline regardless. */
  private rollover: { deadline: number; timer: ReturnType<typeof setInterval> } | undefined;

  constructor(options: FailoverOptions) {
    super(options.hooks);
    this.config = {
      candidates: options.candidates,
      stallMs: options.stallMs ?? 1500,
      startTimeoutMs: options.startTimeoutMs ?? 3000,
      attemptsPerProvider: options.attemptsPerProvider ?? 2,
      backoffMs: options.backoffMs ?? 100,
      maxBackoffMs: options.maxBackoffMs ?? 1000,
      bufferMs: options.bufferMs ?? 20_000,
      localVad: options.localVad ?? true,
      random: options.random ?? Math.random,
      report: options.report,
    };
  }

  /** The configured name of the provider in use (`openai`, `gemini`: the router's and the API's names). */
  get provider(): string {
    return this.currentName;
  }

  /** The providers this session may run on now (policy order, open breakers left out); reading it picks nothing. */
  get providerNames(): string[] {
    const all = typeof this.config.candidates === 'function' ? this.config.candidates({ peek: true }) : this.config.candidates;
    return all.map((c) => c.name);
  }

  /** The protocol of the session in use (`openai-realtime`, `gemini-live`, ...). */
  get protocol(): string | undefined {
    return this.current?.provider;
  }

  /** Listens for provider switches (the extra event this wrapper adds to the contract). */
  onSwitch(listener: (event: ProviderSwitch) => void): () => void {
    this.switchListeners.add(listener);
    return () => this.switchListeners.delete(listener);
  }

  /** The conversation as the next provider would be seeded with it. */
  get conversation(): readonly ConversationTurn[] {
    return this.history;
  }

  async start(options: AiSessionOptions): Promise<void> {
    if (this.startOptions) throw new AiError('failover', 'bad_request', 'session already started');
    this.configure(options);
    this.startOptions = options;
    if (this.config.localVad) this.localTurns = new LocalTurns(this.inputFormat);
    this.history = [...(options.history ?? [])];
    this.greetingPending = options.speakFirst === true;
    const opened = await this.open(this.candidateList(undefined, undefined), options);
    if (!opened) {
      this.emitClosed('start_failed');
      throw new AiError('failover', 'connect_failed', 'no provider could be started');
    }
    if (options.speakFirst) this.owe();
  }

  sendAudio(frame: Uint8Array): void {
    if (this.closed || this.closing) return;
    this.buffer.push({ atMs: this.inputPos, frame });
    const heard = this.localTurns?.push(frame);
    if (heard === 'start') this.localTurn = { startMs: Math.max(0, this.inputPos - 100), acked: this.callerPhase !== 'idle' };
    this.inputPos += audioMs(frame.length, this.inputFormat);
    // The caller finished an utterance the provider never acknowledged: it owes at least its speech events.
    // So does one that reported the start of the utterance but not its end.
    if (heard === 'stop' && !this.switching && ((this.localTurn && !this.localTurn.acked) || this.callerPhase === 'speaking')) this.owe();
    this.stats.audioInMs = this.inputPos;
    while (this.buffer.length && this.buffer[0]!.atMs < this.inputPos - this.config.bufferMs) this.buffer.shift();
    if (!this.switching) this.current?.sendAudio(frame);
  }

  sendText(text: string): void {
    if (this.closed || this.closing) return;
    this.pendingCaller = text;
    this.pendingCallerFinal = false;
    if (!this.switching) {
      this.current?.sendText(text);
      this.owe();
    }
  }

  interrupt(heardMs: number): void {
    if (this.switching || !this.hadResponse) return;
    this.current?.interrupt(heardMs);
  }

  sendToolResult(callId: string, result: unknown): void {
    const call = this.toolCalls.get(callId);
    if (!call) return;
    this.toolCalls.delete(callId);
    // A call made by a provider that since failed: the next provider was resumed on the caller turn and calls again.
    if (call.gen !== this.gen) return;
    this.history.push({ role: 'tool', callId, name: call.name, arguments: call.arguments, result });
    this.toolResumePending = true;
    if (!this.switching) {
      this.current?.sendToolResult(callId, result);
      this.owe();
    }
  }

  /** Moves the conversation to `provider` now (an operator's or a router's decision). */
  switchTo(provider: string, detail = `switch to ${provider} requested`): Promise<ProviderSwitch | undefined> {
    return this.fail('manual', detail, provider);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.clearStall();
    this.cancelRollover();
    const session = this.current;
    this.gen++;
    await session?.close().catch(() => undefined);
    this.emitClosed('client');
  }

  // --- events of the current provider --------------------------------------------------------------------

  private attach(session: AiSession, gen: number): void {
    session.onEvent((event) => {
      if (gen !== this.gen || this.closing) return;
      this.lastLife = performance.now();
      this.stats.eventsIn++;
      this.stats.lastEventAt = session.stats.lastEventAt || this.lastLife;
      this.stats.rejected = this.retiredRejected + session.stats.rejected;
      this.onProviderEvent(event);
    });
  }

  private onProviderEvent(event: AiEvent): void {
    switch (event.type) {
      case 'closed':
        void this.fail('closed', event.reason);
        return;
      case 'error': {
        const { error } = event;
        if (error.code === 'rate_limited') void this.fail('rate_limited', error.message);
        else if (error.retryable || error.code === 'auth_failed' || error.code === 'not_started') {
          void this.fail(error.code === 'timeout' ? 'stall' : error.code === 'connection_lost' ? 'closed' : 'error', error.message);
        }
        else this.emit(event);
        return;
      }
      case 'speech_started':
        if (this.suppress.speechStarted > 0) { this.suppress.speechStarted--; return; }
        this.callerPhase = 'speaking';
        this.callerTurnStartMs = event.atMs + this.offset;
        if (this.localTurn) this.localTurn.acked = true;
        this.clearOwedIfOnlySpeech();
        this.emit({ ...event, atMs: event.atMs + this.offset });
        return;
      case 'speech_stopped':
        if (this.suppress.speechStopped > 0) { this.suppress.speechStopped--; return; }
        this.callerPhase = 'stopped';
        this.owe();
        this.emit({ ...event, atMs: event.atMs + this.offset });
        return;
      case 'transcript':
        return this.onTranscript(event);
      case 'interrupted':
        this.emit({ ...event, responseId: this.mapId(event.responseId), atMs: event.atMs + this.offset });
        return;
      case 'audio':
        this.replied(event.responseId);
        this.emit({ ...event, responseId: this.mapId(event.responseId) });
        return;
      case 'tool_call':
        this.replied(undefined);
        this.toolCalls.set(event.callId, { gen: this.gen, name: event.name, arguments: event.arguments });
        this.emit(event);
        return;
      case 'turn_end': {
        this.clearStall();
        this.responseOpen = undefined;
        if (event.reason !== 'tool_call') {
          this.pendingCaller = undefined;
          this.greetingPending = false;
          this.toolResumePending = false;
        }
        this.emit({ ...event, responseId: this.mapId(event.responseId) });
        return;
      }
      case 'going_away':
        if (event.resuming) return; // the provider continues the conversation itself (Gemini resumption)
        this.planRollover(event.timeLeftMs);
        return;
      default:
        this.emit(event);
    }
  }

  // --- planned rollover (session caps) ---------------------------------------------------------------------

  private planRollover(timeLeftMs: number): void {
    if (this.rollover) return;
    // Force it with a margin before the cap: a cut mid-sentence is worse than a switch mid-sentence.
    const deadline = performance.now() + Math.max(0, timeLeftMs - Math.min(2000, timeLeftMs / 2));
    const timer = setInterval(() => this.maybeRollover(), 100);
    timer.unref?.();
    this.rollover = { deadline, timer };
    this.maybeRollover();
  }

  /** Quiet: the agent is not speaking, the caller is not mid-turn, nothing is owed. */
  private get quiet(): boolean {
    return !this.responseOpen && this.callerPhase === 'idle' && this.owedSince === undefined && !this.localTurn
      && this.pendingCaller === undefined && !this.toolResumePending && !this.greetingPending;
  }

  private maybeRollover(): void {
    const plan = this.rollover;
    if (!plan || this.switching || this.closing) return;
    if (!this.quiet && performance.now() < plan.deadline) return;
    this.cancelRollover();
    void this.fail('rollover', `session cap: rolled over to a fresh ${this.currentName} session`, this.currentName);
  }

  private cancelRollover(): void {
    if (this.rollover) clearInterval(this.rollover.timer);
    this.rollover = undefined;
  }

  private onTranscript(event: Extract<AiEvent, { type: 'transcript' }>): void {
    const shifted = { ...event, startMs: event.startMs + this.offset, endMs: event.endMs + this.offset };
    if (event.speaker === 'caller') {
      if (this.suppress.callerFinal !== undefined) {
        if (event.final) this.suppress.callerFinal = undefined;
        return;
      }
      if (event.final) {
        this.callerPhase = 'idle';
        this.localTurn = undefined;
        this.pendingCaller = event.text;
        this.pendingCallerFinal = true;
        this.history.push({ role: 'caller', text: event.text });
      }
      this.emit(shifted);
      return;
    }
    this.replied(event.responseId);
    if (event.final && event.text) this.history.push({ role: 'agent', text: event.text });
    this.emit(event.responseId ? { ...shifted, responseId: this.mapId(event.responseId) } : shifted);
  }

  private mapId(id: string): string {
    return this.switchCount === 0 ? id : `${this.currentName}#${this.gen}:${id}`;
  }

  // --- stall watch -------------------------------------------------------------------------------------------

  /** The provider owes a reply from now. */
  private owe(): void {
    if (this.owedSince !== undefined || this.responseOpen || this.config.stallMs <= 0) return;
    this.owedSince = performance.now();
    this.arm();
  }

  /** A sign of a reply: the response is open; its gaps are watched from here. */
  private replied(responseId: string | undefined): void {
    this.owedSince = undefined;
    if (responseId) {
      this.responseOpen = responseId;
      this.hadResponse = true;
      this.arm();
    } else this.clearStall();
  }

  /** A provider that reports the caller's speech is alive; the owed reply now follows its speech_stopped. */
  private clearOwedIfOnlySpeech(): void {
    if (this.owedSince !== undefined && !this.responseOpen) this.clearStall();
  }

  private arm(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      const what = this.owedSince !== undefined ? 'no reply' : 'response went quiet';
      void this.fail('stall', `${what} for ${this.config.stallMs} ms`);
    }, this.config.stallMs);
    this.stallTimer.unref?.();
  }

  private clearStall(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.owedSince = undefined;
  }

  // --- switching -----------------------------------------------------------------------------------------------

  private async fail(reason: SwitchReason, detail: string, preferred?: string): Promise<ProviderSwitch | undefined> {
    if (this.switching || this.closing || this.closed || !this.current) return undefined;
    const detectedAt = performance.now();
    const since = this.owedSince ?? this.lastLife;
    this.switching = true;
    this.switchCount++;
    this.switchStartPos = this.inputPos;
    this.clearStall();
    const from = this.currentName;
    const old = this.current;
    this.cancelRollover();
    if (reason !== 'manual' && reason !== 'rollover') this.config.report?.(from, { ok: false, kind: reason, reason: detail });
    this.retiredRejected += old.stats.rejected;
    this.gen++;
    this.current = undefined;
    void old.close().catch(() => undefined);
    // Close the response the caller was hearing: what it said is not in the history, the next provider answers again.
    if (this.responseOpen) {
      const responseId = this.responseOpen;
      this.responseOpen = undefined;
      this.emit({ type: 'interrupted', responseId, atMs: this.inputPos });
      this.emit({ type: 'turn_end', responseId, reason: 'interrupted' });
    }
    const startOptions = this.startOptions!;
    const resumed = this.resumeKind();
    const history = [...this.history];
    // The pending caller turn is sent again as text (its final is not repeated), so it is not seeded twice.
    const last = history[history.length - 1];
    if (resumed === 'caller_turn' && last?.role === 'caller' && last.text === this.pendingCaller) history.pop();
    const options: AiSessionOptions = {
      ...startOptions,
      history,
      speakFirst: resumed === 'greeting' || resumed === 'tool_result',
    };
    const opened = await this.open(this.candidateList(from, preferred), options);
    if (this.closing) return undefined;
    if (!opened) {
      this.switching = false;
      this.emit({ type: 'error', error: new AiError('failover', 'connection_lost', `${from} failed (${reason}: ${detail}) and no other provider could be started`) });
      this.emitClosed('all_providers_failed');
      return undefined;
    }
    this.resume(resumed);
    this.switching = false;
    const event: ProviderSwitch = {
      from, to: this.currentName, reason, detail, detectedAt,
      detectionMs: Math.round(detectedAt - since),
      switchMs: Math.round(performance.now() - detectedAt),
      attempts: opened.attempts,
      resumed,
    };
    this.switches.push(event);
    for (const listener of [...this.switchListeners]) {
      try { listener(event); } catch (error) { console.error('failover: a switch listener threw', error); }
    }
    return event;
  }

  private resumeKind(): ProviderSwitch['resumed'] {
    if (this.callerPhase !== 'idle' || (this.localTurn && !this.localTurn.acked)) return 'replayed_audio';
    if (this.toolResumePending && this.history[this.history.length - 1]?.role === 'tool') return 'tool_result';
    if (this.pendingCaller !== undefined) return 'caller_turn';
    if (this.greetingPending) return 'greeting';
    return 'idle';
  }

  /** Feeds the new provider the audio it missed and makes it answer what was owed. */
  private resume(kind: ProviderSwitch['resumed']): void {
    const session = this.current!;
    let from = this.inputPos;
    if (kind === 'replayed_audio') {
      const providerHeard = this.callerPhase !== 'idle';
      from = Math.max(0, (providerHeard ? this.callerTurnStartMs : this.localTurn?.startMs ?? this.switchStartPos) - PRE_ROLL_MS);
      this.suppress.speechStarted = providerHeard ? 1 : 0;
      this.suppress.speechStopped = this.callerPhase === 'stopped' ? 1 : 0;
    } else {
      // Audio that came in while switching.
      from = this.switchStartPos;
    }
    const replay = this.buffer.filter((b) => b.atMs >= from);
    this.offset = replay[0]?.atMs ?? this.inputPos;
    for (const b of replay) session.sendAudio(b.frame);
    if (kind === 'caller_turn' && this.pendingCaller !== undefined) {
      if (this.pendingCallerFinal) this.suppress.callerFinal = this.pendingCaller;
      session.sendText(this.pendingCaller);
    }
    if (kind !== 'idle') this.owe();
  }

  private candidateList(failed: string | undefined, preferred: string | undefined): ProviderCandidate[] {
    const all = typeof this.config.candidates === 'function' ? this.config.candidates() : this.config.candidates;
    const others = all.filter((c) => c.name !== failed);
    const failedOne = all.filter((c) => c.name === failed);
    const ordered = [...others, ...failedOne];
    if (preferred) {
      const hit = ordered.find((c) => c.name === preferred);
      if (hit) return [hit, ...ordered.filter((c) => c !== hit)];
    }
    return ordered;
  }

  /** Opens the first candidate that starts (retryable failures retried with backoff + jitter). */
  private async open(candidates: ProviderCandidate[], options: AiSessionOptions): Promise<{ attempts: number } | undefined> {
    let attempts = 0;
    for (const candidate of candidates) {
      for (let attempt = 1; attempt <= this.config.attemptsPerProvider; attempt++) {
        if (this.closing) return undefined;
        attempts++;
        const started = performance.now();
        let session: AiSession | undefined;
        try {
          session = candidate.create();
          this.attach(session, ++this.gen);
          await withTimeout(session.start(options), this.config.startTimeoutMs, candidate.name);
          if (this.closing) {
            void session.close().catch(() => undefined);
            return undefined;
          }
          this.current = session;
          this.currentName = candidate.name;
          this.hadResponse = false;
          this.config.report?.(candidate.name, { ok: true, latencyMs: Math.round(performance.now() - started) });
          return { attempts };
        } catch (error) {
          void session?.close().catch(() => undefined);
          const aiError = error instanceof AiError ? error : undefined;
          this.config.report?.(candidate.name, { ok: false, kind: aiError?.code === 'rate_limited' ? 'rate_limited' : 'start_failed', reason: error instanceof Error ? error.message : String(error) });
          if (aiError && (!aiError.retryable || aiError.code === 'rate_limited')) break;
          if (attempt < this.config.attemptsPerProvider) await sleep(this.backoff(attempt));
        }
      }
    }
    return undefined;
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.config.maxBackoffMs, this.config.backoffMs * 2 ** (attempt - 1));
    return base / 2 + this.config.random() * (base / 2);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, provider: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new AiError(provider, 'timeout', `start took over ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
