/**
 * Runs a flow on the local pipeline (no network): WebRTC VAD finds the caller's turns, pocketsphinx (one decoder
 * for the whole call) recognizes them with the current step's grammar, the FlowRunner decides, local TTS speaks.
 * Without local speech recognition the flow still runs on DTMF; without TTS it still writes transcripts.
 */
import type { AgentContext, AgentSession } from '../../call/agent.js';
import type { FlowDefinition } from '../../contracts/flows.js';
import { AudioConverter } from '../audio-format.js';
import type { LanguageModel } from '../cascade/stages.js';
import { FlowRunner, llmMessages, toGrammarExpectation, type FlowAction, type FlowInput, type FlowRunnerOptions, type FlowState } from '../flows/index.js';
import { buildGrammar, checkLocalSpeech, createRecognizer, createWebRtcVad, type LocalSpeechAvailability, type Recognizer, type SpeechSynthesizer, type WebRtcVad } from '../local/index.js';
import type { ToolRunner } from '../tools/index.js';
import { encodeFor } from './audio.js';
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
  /** For `llm` steps; without one the agent says `llmFallback` and the flow goes on. */
  llm?: LanguageModel | null;
  llmFallback?: string;
  /** Which local engines are usable (default `checkLocalSpeech()`). */
  speech?: () => Promise<LocalSpeechAvailability>;
  /** Silence that ends a caller turn (default 300 ms); caller speech this soon after agent audio began is echo (300 ms). */
  endpointMs?: number;
  guardMs?: number;
  webhookSecret?: string;
  runner?: FlowRunnerOptions;
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
    const first = this.runner.start(o.language ? { language: o.language } : {});
    this.state = first.state;
    ctx.event('flow.started', {
      flowId: flow.id, language: first.state.language, asr: speech.asr.available, tts: speech.tts.available && o.synthesizer !== null,
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
      this.ctx!.event('flow.recognized', { text, mode: r.mode, durationMs: Math.round(r.durationMs), decodeMs: Math.round(r.decodeMs) });
      if (!text) return this.armNoInput();
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
      if (this.closed || this.utterance || this.state?.waiting !== 'input' || this.state.turns !== seq) return;
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
          const text = await this.askModel(a);
          const pcm = await this.synthesize(text);
          this.speaker!.say(text, pcm, true);
          await this.advance({ type: 'llm_reply', text });
          return;
        }
      }
    }
  }

  private async askModel(action: Extract<FlowAction, { type: 'llm' }>): Promise<string> {
    const fallback = this.options.llmFallback ?? 'Sorry, I cannot answer that right now.';
    const llm = this.options.llm;
    if (!llm) return fallback;
    try {
      let text = '';
      for await (const chunk of llm.generate({ messages: llmMessages(action), tools: [] })) if (chunk.type === 'text') text += chunk.text;
      return text.trim() || fallback;
    } catch (err) {
      this.ctx?.event('flow.llm_failed', { error: message(err) });
      return fallback;
    }
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
