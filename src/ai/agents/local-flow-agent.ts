/**
 * Runs a flow on the local pipeline (no network): WebRTC VAD finds the caller's turns, pocketsphinx (one decoder
 * for the whole call) recognizes them with the current step's grammar, the FlowRunner decides, local TTS speaks.
 * Without local speech recognition the flow still runs on DTMF; without TTS it still writes transcripts.
 */
import type { AgentContext, AgentSession } from '../../call/agent.js';
import type { FlowDefinition } from '../../contracts/flows.js';
import type { ConversationTurn } from '../session.js';
import { AudioConverter } from '../audio-format.js';
import { SentenceSplitter } from '../cascade/sentences.js';
import type { LanguageModel } from '../cascade/stages.js';
import { FlowRunner, toGrammarExpectation, type FlowAction, type FlowInput, type FlowRunnerOptions, type FlowState, type TranscriptLine } from '../flows/index.js';
import { buildGrammar, checkLocalSpeech, createRecognizer, createWebRtcVad, type LocalSpeechAvailability, type Recognizer, type SpeechSynthesizer, type WebRtcVad } from '../local/index.js';
import type { ToolRunner } from '../tools/index.js';
import { encodeFor } from './audio.js';
import { answerLlmAction, type FlowLlmAnswer } from './flow-llm.js';
import { callToolRunner } from './call-tools.js';
import { Endpointer, FRAME_MS } from './endpointer.js';
import { Speaker } from './speaker.js';
import { speechCache } from './speech-cache.js';
import { speechChunks } from './speech-chunks.js';

export interface LocalFlowAgentOptions {
  /** The flow, or how to load it (the number's flowId through the flow library). */
  flow: FlowDefinition | (() => Promise<FlowDefinition | null>);
  synthesizer: SpeechSynthesizer | null;
  /** TTS voice (flite: kal, slt…); default: the synthesizer's voice for the flow's language. */
  voice?: string;
  language?: string;
  /** For `llm` steps; without one (or when it fails) the agent says `llmFallback` (else an apology) and the flow goes on with the step's `next`. */
  llm?: LanguageModel | null;
  llmFallback?: string;
  /** Which local engines are usable (default `checkLocalSpeech()`). */
  speech?: () => Promise<LocalSpeechAvailability>;
  /** Silence that ends a caller turn (default 300 ms); caller speech this soon after agent audio began is echo (300 ms). */
  endpointMs?: number;
  guardMs?: number;
  webhookSecret?: string;
  runner?: FlowRunnerOptions;
  /** The conversation before this call (a widget contact's chat), seeded into the flow for `llm` steps. */
  history?: () => Promise<ConversationTurn[]>;
  /** The conversation this call continues on the same flow (a widget contact's chat): resumed, then handed back. */
  continuation?: () => Promise<FlowContinuation | null>;
}

/** Another channel's run of the flow that a call picks up (a widget chat) and hands back as it goes. */
export interface FlowContinuation {
  /** Its flow state; null when it has none. */
  state: FlowState | null;
  /** Stores the call's state for the other channel; false when that channel moved on meanwhile (then no more). */
  save(state: FlowState): Promise<boolean>;
}

const PCM8K = { encoding: 'pcm16', sampleRate: 8000 } as const;
const FRAME = (8000 * FRAME_MS) / 1000;

export class LocalFlowAgent implements AgentSession {
  readonly kind = 'flow';
  private ctx: AgentContext | null = null;
  private runner: FlowRunner | null = null;
  private state: FlowState | null = null;
  private speaker: Speaker | null = null;
  private tools: ToolRunner | null = null;
  private recognizer: Recognizer | null = null;
  private vad: WebRtcVad | null = null;
  private endpointer: Endpointer | null = null;
  private decoder: AudioConverter | null = null;
  private carry = new Int16Array(0);
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Bumped by every barge-in: sentences synthesized for an older turn are not played. */
  private epoch = 0;
  private utterance: { startMs: number; ignored: boolean } | null = null;
  private noInput: NodeJS.Timeout | undefined;
  private digits = '';
  private digitTimer: NodeJS.Timeout | undefined;
  /** The call is on hold: nothing is heard either way, so no no-input prompts. */
  private held = false;
  private continuation: FlowContinuation | null = null;
  private handing: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalFlowAgentOptions) {}

  async start(ctx: AgentContext): Promise<void> {
    this.ctx = ctx;
    const o = this.options;
    let flow: FlowDefinition | null;
    try {
      flow = typeof o.flow === 'function' ? await o.flow() : o.flow;
    } catch (err) {
      ctx.event('flow.error', { error: message(err) });
      flow = null;
    }
    if (!flow) {
      ctx.event('flow.unavailable');
      await ctx.hangup('flow-unavailable');
      return;
    }
    this.runner = new FlowRunner(flow, o.runner);
    this.speaker = new Speaker(ctx);
    this.tools = callToolRunner(ctx, { webhooks: flow.tools, ...(o.webhookSecret ? { webhookSecret: o.webhookSecret } : {}), drain: () => this.speaker!.drain() });
    const speech = await (o.speech ?? checkLocalSpeech)();
    const prior = await priorLines(o.history, ctx);
    this.continuation = await loadContinuation(o.continuation, ctx);
    // A chat on another flow is left as it is: the call neither resumes it nor hands its state back.
    if (this.continuation?.state && this.continuation.state.flowId !== flow.id) this.continuation = null;
    // The same flow left waiting in the chat goes on at its step; otherwise the flow starts with the chat as context.
    const resumed = this.continuation?.state ? this.runner.resume(this.continuation.state, prior.length ? { transcript: prior } : {}) : null;
    const first = resumed ?? this.runner.start({ ...(o.language ? { language: o.language } : {}), ...(prior.length ? { transcript: prior } : {}) });
    this.state = first.state;
    ctx.event('flow.started', {
      flowId: flow.id, language: first.state.language, asr: speech.asr.available, tts: speech.tts.available && o.synthesizer !== null,
      ...(prior.length ? { priorTurns: prior.length } : {}), ...(resumed ? { resumedAt: first.state.step } : {}),
      ...(speech.asr.available ? {} : { asrReason: speech.asr.reason }),
    });
    if (speech.asr.available && speech.vad.available) {
      try {
        await this.listenWith(this.grammar(first.state) ?? null);
      } catch (err) {
        ctx.event('flow.asr_unavailable', { error: message(err) });
      }
    }
    this.enqueue(() => this.perform(first.actions));
  }

  onCallerAudio(payload: Uint8Array): void {
    if (!this.endpointer || !this.decoder || this.closed) return;
    const samples = this.decoder.toSamples(payload);
    const all = new Int16Array(this.carry.length + samples.length);
    all.set(this.carry);
    all.set(samples, this.carry.length);
    let at = 0;
    for (; at + FRAME <= all.length; at += FRAME) this.endpointer.push(all.slice(at, at + FRAME));
    this.carry = all.slice(at);
  }

  /** On hold: what plays is cut (the caller heard only part), timers stop; back from hold the step listens afresh. */
  onHold(held: boolean): void {
    this.held = held;
    if (held) {
      clearTimeout(this.noInput);
      clearTimeout(this.digitTimer);
      this.digits = '';
      if (this.speaker?.playing) this.bargeIn();
    } else if (this.state?.waiting === 'input') {
      this.armNoInput();
    }
  }

  onDtmf(digit: string): void {
    if (!this.runner || !this.state || this.closed) return;
    clearTimeout(this.noInput);
    if (this.speaker?.playing && this.speaker.interruptible) this.bargeIn();
    clearTimeout(this.digitTimer);
    const want = this.runner.expectation(this.state)?.dtmf;
    if (digit !== '#') this.digits += digit;
    const submit = () => {
      const digits = this.digits;
      this.digits = '';
      if (digits) this.enqueue(() => this.advance({ type: 'dtmf', digits }));
    };
    if (digit === '#' || !want || this.digits.length >= want.maxDigits) submit();
    else this.digitTimer = setTimeout(submit, 2500);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.noInput);
    clearTimeout(this.digitTimer);
    this.endpointer = null;
    this.vad?.close();
    await this.recognizer?.close().catch(() => {});
    await this.handing;
  }

  // ── listening ─────────────────────────────────────────────────────────────────────────────────────────────

  private async listenWith(jsgf: string | null): Promise<void> {
    const [vad, recognizer] = await Promise.all([createWebRtcVad({ sampleRate: 8000, mode: 3 }), createRecognizer({ sampleRate: 8000, grammar: jsgf })]);
    if (this.closed) { vad.close(); await recognizer.close(); return; }
    this.vad = vad;
    this.recognizer = recognizer;
    this.decoder = new AudioConverter(this.ctx!.inputFormat, PCM8K);
    this.endpointer = new Endpointer((frame) => vad.process(frame), {
      onStart: (preroll) => this.utteranceStarted(preroll),
      onFrame: (frame) => { if (this.utterance && !this.utterance.ignored) recognizer.pushAudio(frame); },
      onEnd: () => this.utteranceEnded(),
    }, { endpointMs: this.options.endpointMs ?? 300 });
  }

  private utteranceStarted(preroll: Int16Array[]): void {
    const ctx = this.ctx!;
    const speaker = this.speaker!;
    const startMs = Math.max(0, ctx.nowMs() - preroll.length * FRAME_MS);
    // Speech over a non-interruptible sentence, or right as agent audio began (echo), is not a turn.
    const early = ctx.nowMs() - speaker.startedAtMs < (this.options.guardMs ?? 300);
    const ignored = speaker.playing && (!speaker.interruptible || early);
    this.utterance = { startMs, ignored };
    if (ignored) return;
    clearTimeout(this.noInput);
    if (speaker.playing) this.bargeIn();
    for (const frame of preroll) this.recognizer!.pushAudio(frame);
  }

  private utteranceEnded(): void {
    const u = this.utterance;
    this.utterance = null;
    if (!u || u.ignored || !this.recognizer) return;
    const result = this.recognizer.endUtterance();
    this.enqueue(async () => {
      const r = await result;
      const text = r.text.trim();
      // An empty recognition (noise, a breath) is no event of the timeline: only what was heard is recorded.
      if (!text) return this.armNoInput();
      this.ctx!.event('flow.recognized', { text, mode: r.mode, durationMs: Math.round(r.durationMs), decodeMs: Math.round(r.decodeMs) });
      this.ctx!.transcript({ speaker: 'caller', text, final: true, startMs: Math.round(u.startMs), endMs: Math.round(this.ctx!.nowMs()) });
      await this.advance({ type: 'text', text, ...(r.confidence !== undefined ? { confidence: r.confidence } : {}) });
    });
  }

  private bargeIn(): void {
    this.epoch++;
    const heardMs = this.speaker!.bargeIn();
    this.ctx!.event('flow.barge_in', { heardMs });
  }

  private grammar(state: FlowState): string | null | undefined {
    const e = this.runner!.expectation(state);
    if (!e) return undefined;
    const g = toGrammarExpectation(e);
    try {
      return g ? buildGrammar(g).jsgf : null;
    } catch (err) {
      this.ctx?.event('flow.grammar_failed', { step: e.step, error: message(err) });
      return null;
    }
  }

  /** After the prompt has played, silence for `timeoutMs` is a `no_input`. */
  private armNoInput(timeoutMs = this.runner?.flow.settings.noInputTimeoutMs ?? 8000): void {
    clearTimeout(this.noInput);
    const seq = this.state?.turns;
    void this.speaker?.drain().then(() => {
      if (this.closed || this.held || this.utterance || this.state?.waiting !== 'input' || this.state.turns !== seq) return;
      this.noInput = setTimeout(() => this.enqueue(() => this.advance({ type: 'no_input' })), timeoutMs);
      this.noInput.unref();
    });
  }

  // ── the flow ──────────────────────────────────────────────────────────────────────────────────────────────

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(() => (this.closed ? undefined : work())).catch((err: unknown) => {
      this.ctx?.event('flow.error', { error: message(err) });
    });
  }

  private async advance(input: FlowInput): Promise<void> {
    if (!this.runner || !this.state || this.state.ended) return;
    const turn = this.runner.advance(this.state, input);
    this.state = turn.state;
    this.handBack(turn.state);
    if (turn.heard) this.ctx!.event('flow.heard', { step: turn.state.step, matched: turn.heard.matched, intent: turn.heard.intent?.intent ?? null });
    await this.perform(turn.actions);
  }

  private async perform(actions: FlowAction[]): Promise<void> {
    const ctx = this.ctx!;
    const epoch = this.epoch;
    // Synthesize every sentence of the turn at once, in pieces (speech-chunks.ts); play them in order, each piece
    // as soon as it is ready.
    const audio = actions.map((a) => (a.type === 'say' ? speechChunks(a.text).map((c) => this.synthesize(c)) : null));
    for (const [i, a] of actions.entries()) {
      if (this.closed) return;
      switch (a.type) {
        case 'say': {
          const [first, ...rest] = audio[i] ?? [];
          const pcm = (await first) ?? null;
          if (this.epoch !== epoch || this.closed) break;
          const seg = this.speaker!.begin(a.text, pcm, a.interruptible);
          if (!seg) break;
          for (const piece of rest) {
            const more = await piece;
            if (this.epoch !== epoch || this.closed) break;
            this.speaker!.more(seg, more);
          }
          this.speaker!.end(seg);
          break;
        }
        case 'listen': {
          const jsgf = this.grammar(this.state!);
          if (this.recognizer && jsgf !== undefined) await this.recognizer.setGrammar(jsgf).catch((err: unknown) => ctx.event('flow.grammar_failed', { step: a.step, error: message(err) }));
          this.armNoInput(a.timeoutMs);
          break;
        }
        case 'tool': {
          ctx.event('flow.tool', { name: a.name, callId: a.callId });
          const result = await this.tools!.run({ name: a.name, arguments: a.arguments, callId: a.callId });
          const input: FlowInput = result.ok ? { type: 'tool_result', callId: a.callId, ok: true, result: result.result } : { type: 'tool_result', callId: a.callId, ok: false, error: result.error };
          await this.advance(input);
          return; // the rest came with the tool's turn
        }
        case 'transfer':
          ctx.event('flow.transfer', { to: a.to, summary: a.summary });
          await this.speaker!.drain();
          await ctx.transfer(a.to).catch((err: unknown) => ctx.event('flow.transfer_failed', { to: a.to, error: message(err) }));
          break;
        case 'end':
          ctx.event('flow.ended', { reason: a.reason, step: a.step });
          await this.speaker!.drain();
          if (!this.closed) await ctx.hangup(a.reason);
          break;
        case 'llm': {
          // Sentences are spoken as the model streams them (in order), not after the whole answer.
          const splitter = new SentenceSplitter();
          let spoken = Promise.resolve();
          const speak = (sentence: string) => {
            const pcm = this.synthesize(sentence);
            spoken = spoken.then(async () => {
              const audio = await pcm;
              if (this.epoch === epoch && !this.closed) this.speaker!.say(sentence, audio, true);
            });
          };
          const { text, unavailable } = await this.askModel(a, (delta) => { for (const s of splitter.push(delta)) speak(s); });
          if (unavailable) speak(text);
          else for (const s of splitter.flush()) speak(s);
          await spoken;
          await this.advance({ type: 'llm_reply', text, ...(unavailable ? { unavailable } : {}) });
          return;
        }
      }
    }
  }

  /** The continued conversation gets the call's state once it is settled (waiting for the caller, or ended). */
  private handBack(state: FlowState): void {
    const c = this.continuation;
    if (!c || !(state.ended || state.waiting === 'input')) return;
    this.handing = this.handing.then(async () => {
      if (this.continuation !== c || (await c.save(state))) return;
      this.continuation = null;
      this.ctx?.event('flow.handback_stopped', { step: state.step });
    }).catch((err: unknown) => { this.ctx?.event('flow.handback_failed', { error: message(err) }); });
  }

  /** The model's answer (shared with the web chat: `answerLlmAction`); without one, an apology and the flow moves on. */
  private async askModel(action: Extract<FlowAction, { type: 'llm' }>, onText: (delta: string) => void): Promise<FlowLlmAnswer> {
    const answer = await answerLlmAction(action, {
      llm: this.options.llm, channel: 'voice', tools: this.tools, fallback: this.options.llmFallback, onText,
      onToolCall: (call) => this.ctx?.event('flow.tool', { name: call.name, callId: call.callId, ok: call.ok }),
    });
    if (answer.unavailable) this.ctx?.event(this.options.llm ? 'flow.llm_failed' : 'flow.llm_unavailable', { error: answer.reason ?? '' });
    return answer;
  }

  /** The sentence in the leg's format, or null when no voice is available. Repeated texts come from the cache. */
  private synthesize(text: string): Promise<Uint8Array | null> {
    const { synthesizer, voice } = this.options;
    if (!synthesizer || !text) return Promise.resolve(null);
    const format = this.ctx!.outputFormat;
    const options = voice ? { voice } : { language: this.state?.language ?? 'en-US' };
    return speechCache(synthesizer).get(`${JSON.stringify(options)} ${format.encoding}/${format.sampleRate} ${text}`, async () => {
      try {
        const speech = await synthesizer.synthesize(text, options);
        return encodeFor(speech.samples, speech.sampleRate, format);
      } catch (err) {
        this.ctx?.event('flow.tts_failed', { error: message(err) });
        return null;
      }
    });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The conversation the call continues; a failure to load it is an event, and the flow starts afresh. */
async function loadContinuation(load: (() => Promise<FlowContinuation | null>) | undefined, ctx: AgentContext): Promise<FlowContinuation | null> {
  if (!load) return null;
  try {
    return await load();
  } catch (err) {
    ctx.event('flow.continuation_unavailable', { error: message(err) });
    return null;
  }
}

/** The prior conversation as flow transcript lines (tool turns are left out); a failure to load it is an event, not a failed call. */
async function priorLines(history: (() => Promise<ConversationTurn[]>) | undefined, ctx: AgentContext): Promise<TranscriptLine[]> {
  if (!history) return [];
  try {
    return (await history()).flatMap((t) => (t.role === 'tool' ? [] : [{ speaker: t.role, text: t.text }]));
  } catch (err) {
    ctx.event('flow.history_unavailable', { error: message(err) });
    return [];
  }
}
