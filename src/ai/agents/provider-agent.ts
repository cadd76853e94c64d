/**
 * Answers a call with a provider session (OpenAI Realtime, Gemini Live, cascade): caller audio in, agent audio
 * out through the call, barge-in (stop playback, tell the provider what was heard), transcripts, tools.
 */
import type { AgentContext, AgentSession } from '../../call/agent.js';
import type { WebhookToolSpec } from '../../contracts/flows.js';
import { AudioConverter, sameFormat } from '../audio-format.js';
import { FailoverSession } from '../router/failover-session.js';
import type { AiEvent, AiEventOf, AiSession, ConversationTurn } from '../session.js';
import type { ToolRunner } from '../tools/index.js';
import { callToolRunner, drainer } from './call-tools.js';

export interface ProviderAgentOptions {
  /** Builds the provider session for this call (see `createAiSession`; a `FailoverSession` when failover is on). */
  session: () => AiSession | Promise<AiSession>;
  instructions: string;
  voice?: string;
  language?: string;
  /** The agent greets first; `greetingInterruptible: false` ignores barge-in until the greeting has played. */
  speakFirst?: boolean;
  greetingInterruptible?: boolean;
  webhooks?: Record<string, WebhookToolSpec>;
  webhookSecret?: string;
  toolTimeoutMs?: number;
  /** Whether the model gets its tools on this call (the tenant's `ai-tools` flag); absent: it does. */
  toolsEnabled?: () => Promise<boolean>;
  /** How long an agent final waits for a revision (truncation) before it is stored as is. */
  finalWaitMs?: number;
  /** The conversation before this call (a widget contact's chat): the session starts with it as its history. */
  history?: () => Promise<ConversationTurn[]>;
}

type Transcript = AiEventOf<'transcript'>;

export class ProviderAgent implements AgentSession {
  readonly kind = 'ai';
  private ctx: AgentContext | null = null;
  private session: AiSession | null = null;
  private tools: ToolRunner | null = null;
  private offsetMs = 0;
  private closing = false;
  private converter: AudioConverter | null = null;
  /** The response whose audio the caller may still be hearing, and responses already cut. */
  private playing: string | null = null;
  private readonly cut = new Set<string>();
  private greeting: 'none' | 'waiting' | 'protected' | 'done' = 'none';
  private greetingResponse: string | null = null;
  /** Agent finals held until the response has played (or was cut), so a truncated revision replaces them. */
  private readonly held = new Map<string, { turn: Transcript; timer: NodeJS.Timeout | undefined }>();
  private marks = 0;

  constructor(private readonly options: ProviderAgentOptions) {}

  async start(ctx: AgentContext): Promise<void> {
    this.ctx = ctx;
    const o = this.options;
    if (o.speakFirst && o.greetingInterruptible === false) this.greeting = 'waiting';
    this.tools = callToolRunner(ctx, {
      ...(o.webhooks ? { webhooks: o.webhooks } : {}), ...(o.webhookSecret ? { webhookSecret: o.webhookSecret } : {}),
      ...(o.toolTimeoutMs !== undefined ? { timeoutMs: o.toolTimeoutMs } : {}), drain: drainer(ctx),
    });
    const toolsOn = o.toolsEnabled ? await o.toolsEnabled() : true;
    const history = o.history ? await o.history().catch((err: unknown) => {
      ctx.event('ai.history_unavailable', { error: err instanceof Error ? err.message : String(err) });
      return [];
    }) : [];
    const session = await o.session();
    this.session = session;
    session.onEvent((event) => this.onEvent(event));
    if (session instanceof FailoverSession) {
      session.onSwitch((s) => ctx.event('provider.switched', { from: s.from, to: s.to, reason: s.reason, detail: s.detail, detectionMs: Math.round(s.detectionMs), switchMs: Math.round(s.switchMs), attempts: s.attempts, resumed: s.resumed }));
    }
    this.offsetMs = ctx.nowMs();
    await session.start({
      instructions: o.instructions, inputFormat: ctx.inputFormat, outputFormat: ctx.outputFormat, tools: toolsOn ? this.tools.definitions() : [],
      ...(o.voice ? { voice: o.voice } : {}), ...(o.language ? { language: o.language } : {}), ...(o.speakFirst ? { speakFirst: true } : {}),
      ...(history.length ? { history } : {}),
    });
    // Behind failover `provider` is the configured name (as in the health API), `session` the protocol underneath.
    ctx.event('ai.session_started', { provider: session.provider, ...(session instanceof FailoverSession ? { session: session.protocol } : {}) });
  }

  /** The failover session under this call, when failover is on (a manual switch needs one). */
  get failover(): FailoverSession | null {
    return this.session instanceof FailoverSession ? this.session : null;
  }

  onCallerAudio(payload: Uint8Array): void {
    if (!this.closing) this.session?.sendAudio(payload);
  }

  onDtmf(digit: string): void {
    if (!this.closing) this.session?.sendText(`(The caller pressed the key ${digit}.)`);
  }

  /** On hold the response playing is cut like a barge-in, so the model knows what the caller heard of it. */
  onHold(held: boolean): void {
    if (held && this.ctx && this.playing && !this.closing) this.bargeIn(this.ctx, this.playing);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const id of [...this.held.keys()]) this.flushFinal(id);
    await this.session?.close();
  }

  private onEvent(event: AiEvent): void {
    const ctx = this.ctx;
    if (!ctx || this.closing && event.type !== 'closed') return;
    switch (event.type) {
      case 'audio': return this.onAudio(ctx, event);
      case 'speech_started': return this.bargeIn(ctx, this.playing);
      case 'interrupted': return this.bargeIn(ctx, event.responseId);
      case 'transcript': return this.onTranscript(ctx, event);
      case 'tool_call': void this.onToolCall(ctx, event); return;
      case 'turn_end': return this.onTurnEnd(ctx, event);
      case 'error':
        ctx.event('ai.error', { code: event.error.code, retryable: event.error.retryable, message: event.error.message });
        return;
      case 'closed':
        if (!this.closing) {
          ctx.event('ai.closed', { reason: event.reason });
          void ctx.hangup('ai-session-closed').catch(() => {});
        }
        return;
      default:
    }
  }

  private onAudio(ctx: AgentContext, event: AiEventOf<'audio'>): void {
    if (this.cut.has(event.responseId)) return; // the provider's tail after a barge-in
    if (this.greeting === 'waiting') { this.greeting = 'protected'; this.greetingResponse = event.responseId; }
    this.playing = event.responseId;
    let data = event.data;
    if (!sameFormat(event.format, ctx.outputFormat)) {
      if (!this.converter || !sameFormat(this.converter.from, event.format)) this.converter = new AudioConverter(event.format, ctx.outputFormat);
      data = this.converter.convert(data);
    }
    ctx.play(data);
  }

  private bargeIn(ctx: AgentContext, responseId: string | null): void {
    if (!responseId || this.cut.has(responseId) || this.playing !== responseId) return;
    if (this.greeting === 'protected' && responseId === this.greetingResponse) return;
    this.cut.add(responseId); // before interrupt(): the cleared marks must see it
    this.playing = null;
    const heardMs = ctx.interrupt();
    this.converter?.reset();
    this.session?.interrupt(heardMs);
    ctx.event('ai.barge_in', { responseId, heardMs });
    // A provider that does not revise the final keeps the held one; store it after the wait.
    this.holdTimer(responseId);
  }

  private onTranscript(ctx: AgentContext, t: Transcript): void {
    const turn = { speaker: t.speaker, text: t.text, final: t.final, startMs: this.offsetMs + t.startMs, endMs: this.offsetMs + t.endMs };
    if (!t.final || t.speaker === 'caller' || !t.responseId) { if (t.text) ctx.transcript(turn); return; }
    const previous = this.held.get(t.responseId);
    if (t.truncated) {
      clearTimeout(previous?.timer);
      this.held.delete(t.responseId);
      if (t.text) ctx.transcript(turn);
      return;
    }
    this.held.set(t.responseId, { turn: t, timer: previous?.timer });
    if (this.cut.has(t.responseId)) this.holdTimer(t.responseId);
  }

  private holdTimer(responseId: string): void {
    const entry = this.held.get(responseId);
    if (!entry || entry.timer) return;
    entry.timer = setTimeout(() => this.flushFinal(responseId), this.options.finalWaitMs ?? 2000);
    entry.timer.unref();
  }

  private flushFinal(responseId: string): void {
    const entry = this.held.get(responseId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.held.delete(responseId);
    const t = entry.turn;
    if (t.text) this.ctx?.transcript({ speaker: 'agent', text: t.text, final: true, startMs: this.offsetMs + t.startMs, endMs: this.offsetMs + t.endMs });
  }

  private onTurnEnd(ctx: AgentContext, event: AiEventOf<'turn_end'>): void {
    const id = event.responseId;
    if (event.reason === 'interrupted') { this.holdTimer(id); return; }
    // Once this response has played out, the caller heard all of it: no barge-in can cut it any more.
    ctx.mark(`ai-response-${++this.marks}`, () => {
      if (this.cut.has(id)) return; // cleared by a barge-in: the truncated final will come
      if (this.playing === id) this.playing = null;
      if (this.greetingResponse === id) this.greeting = 'done';
      this.flushFinal(id);
    });
  }

  private async onToolCall(ctx: AgentContext, call: AiEventOf<'tool_call'>): Promise<void> {
    const session = this.session;
    if (!session || !this.tools) return;
    ctx.event('ai.tool_call', { name: call.name, callId: call.callId });
    const result = call.invalidArguments !== undefined
      ? { ok: false as const, error: `arguments are not valid JSON: ${call.invalidArguments.slice(0, 200)}` }
      : await this.tools.run({ name: call.name, arguments: call.arguments, callId: call.callId });
    if (!result.ok) ctx.event('ai.tool_failed', { name: call.name, callId: call.callId, error: result.error });
    if (!this.closing) session.sendToolResult(call.callId, result.ok ? result.result : { error: result.error });
  }
}
