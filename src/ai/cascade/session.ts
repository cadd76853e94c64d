/**
 * A cascade as an `AiSession`: streaming speech-to-text → a language model → text-to-speech spoken sentence by
 * sentence as the text streams. Barge-in stops the model and the speech at once; `interrupt()` keeps only what
 * the caller heard in the agent transcript and in the conversation the model sees next.
 */
import { AgentTurn } from '../agent-turn.js';
import { AiError } from '../errors.js';
import { isAbort } from '../http-stream.js';
import { AiSessionBase } from '../session-base.js';
import type { AiSession, AiSessionOptions, ConversationTurn, ProviderHooks } from '../session.js';
import { parseToolArguments, toolResultText } from '../tools.js';
import { SentenceSplitter } from './sentences.js';
import { SentenceSpeaker } from './speaker.js';
import type { ChatMessage, LanguageModel, SpeechToText, SpeechToTextStream, SttEvent, TextToSpeech, ToolCallRequest } from './stages.js';

export interface CascadeConfig {
  stt: SpeechToText;
  llm: LanguageModel;
  tts: TextToSpeech;
}

interface CascadeTurn {
  turn: AgentTurn;
  controller: AbortController;
  /** Index in `messages` of the assistant message this turn wrote (to rewrite it after a truncation). */
  messageIndex: number | undefined;
}

export function historyMessages(instructions: string, history: readonly ConversationTurn[]): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', content: instructions }];
  for (const turn of history) {
    if (turn.role === 'caller') messages.push({ role: 'user', content: turn.text });
    else if (turn.role === 'agent') messages.push({ role: 'assistant', content: turn.text });
    else {
      messages.push({ role: 'assistant', content: '', toolCalls: [{ callId: turn.callId, name: turn.name, arguments: JSON.stringify(turn.arguments) }] });
      messages.push({ role: 'tool', callId: turn.callId, content: toolResultText(turn.result) });
    }
  }
  return messages;
}

export class CascadeSession extends AiSessionBase implements AiSession {
  readonly provider = 'cascade';
  private readonly stages: CascadeConfig;
  private stream: SpeechToTextStream | undefined;
  private messages: ChatMessage[] = [];
  private current: CascadeTurn | undefined;
  private turnCount = 0;
  private seq = 0;
  private callerSpeaking = false;
  private callerStartMs = 0;
  private callerFinals: { text: string; startMs: number; endMs: number }[] = [];
  private readonly pendingToolCalls = new Set<string>();

  constructor(stages: CascadeConfig, hooks: ProviderHooks = {}) {
    super(hooks);
    this.stages = stages;
  }

  async start(options: AiSessionOptions): Promise<void> {
    if (this.stream) throw new AiError(this.provider, 'bad_request', 'session already started');
    this.configure(options);
    this.messages = historyMessages(options.instructions, options.history ?? []);
    try {
      this.stream = await this.stages.stt.open({ format: this.inputFormat, language: options.language });
    } catch (error) {
      this.emitClosed('start_failed');
      throw error;
    }
    this.stream.onEvent((event) => this.onStt(event));
    // Connect to the model and the speech engine now rather than on the first turn.
    this.stages.llm.warm?.();
    this.stages.tts.warm?.({ voice: options.voice, preferred: this.outputFormat });
    if (options.speakFirst) this.respond();
  }

  sendAudio(frame: Uint8Array): void {
    if (!this.stream || this.closed) return;
    this.countInput(frame);
    this.stream.sendAudio(frame);
  }

  sendText(text: string): void {
    if (!this.stream || this.closed) return;
    if (this.current && !this.current.turn.ended) this.interrupt(this.current.turn.audioMs);
    this.emit({ type: 'transcript', speaker: 'caller', text, final: true, startMs: this.inputMs, endMs: this.inputMs });
    this.messages.push({ role: 'user', content: text });
    this.respond();
  }

  interrupt(heardMs: number): void {
    const current = this.current;
    if (!current || current.turn.stopped || this.closed) return;
    const turn = current.turn;
    const heard = Math.max(0, Math.min(Math.round(heardMs), Math.floor(turn.audioMs)));
    current.controller.abort();
    turn.stopped = true;
    if (!turn.ended) {
      this.finish(current, heard);
    } else if (heard < turn.audioMs) {
      const revised = turn.final(this.inputMs, heard);
      this.rewriteMessage(current, revised.text);
      this.emit(revised);
    }
  }

  sendToolResult(callId: string, result: unknown): void {
    if (this.closed) return;
    this.messages.push({ role: 'tool', callId, content: toolResultText(result) });
    this.pendingToolCalls.delete(callId);
    if (this.pendingToolCalls.size === 0) this.respond();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.current?.controller.abort();
    const stream = this.stream;
    this.stream = undefined;
    this.emitClosed('client');
    await stream?.close().catch(() => undefined);
  }

  private onStt(event: SttEvent): void {
    if (this.closed) return;
    this.countEvent();
    this.seq++;
    switch (event.type) {
      case 'speech_started':
        return this.onSpeechStarted(event.atMs);
      case 'transcript':
        if (!event.final) {
          const text = [...this.callerFinals.map((f) => f.text), event.text].join(' ').trim();
          if (text) this.emit({ type: 'transcript', speaker: 'caller', text, final: false, startMs: this.callerFinals[0]?.startMs ?? event.startMs, endMs: event.endMs });
          return;
        }
        if (event.text.trim()) {
          if (!this.callerSpeaking) this.onSpeechStarted(event.startMs);
          this.callerFinals.push({ text: event.text.trim(), startMs: event.startMs, endMs: event.endMs });
        }
        if (event.endOfTurn) this.endCallerTurn(event.endMs);
        return;
      case 'utterance_end':
        if (this.callerFinals.length > 0 || this.callerSpeaking) this.endCallerTurn(event.atMs);
        return;
      case 'error':
        return this.emit({ type: 'error', error: event.error });
      case 'closed':
        if (event.reason === 'client') return;
        this.current?.controller.abort();
        return this.emitClosed(`stt_${event.reason}`);
    }
  }

  private onSpeechStarted(atMs: number): void {
    if (this.callerSpeaking) return;
    this.callerSpeaking = true;
    this.callerStartMs = atMs;
    this.emit({ type: 'speech_started', atMs });
    const current = this.current;
    if (current && !current.turn.ended && !current.turn.stopped && !current.turn.cut) {
      // Like a realtime provider's interrupt_response: stop generating now; interrupt() says what was heard.
      current.turn.cut = true;
      current.controller.abort();
      this.emit({ type: 'interrupted', responseId: current.turn.id, atMs });
    }
  }

  private endCallerTurn(atMs: number): void {
    const finals = this.callerFinals;
    this.callerFinals = [];
    if (!this.callerSpeaking && finals.length === 0) return;
    this.callerSpeaking = false;
    this.emit({ type: 'speech_stopped', atMs });
    if (finals.length === 0) return;
    const text = finals.map((f) => f.text).join(' ');
    this.emit({ type: 'transcript', speaker: 'caller', text, final: true, startMs: Math.min(this.callerStartMs, finals[0]!.startMs), endMs: atMs });
    // A turn cut by this speech that the call layer never interrupted closes with what it produced.
    const current = this.current;
    if (current && !current.turn.ended) {
      current.controller.abort();
      this.finish(current);
    }
    this.messages.push({ role: 'user', content: text });
    this.respond();
  }

  private respond(): void {
    const turn = new AgentTurn(`cascade-${++this.turnCount}`, this.seq);
    const current: CascadeTurn = { turn, controller: new AbortController(), messageIndex: undefined };
    this.current = current;
    this.pendingToolCalls.clear();
    this.expectReply('caller turn');
    void this.generate(current);
  }

  private async generate(current: CascadeTurn): Promise<void> {
    const { turn, controller } = current;
    const options = this.options!;
    // The model's request goes out first (it is on the wire once `next()` returns); the rest is set up while it
    // thinks, and the speech engine gets a connection ready for the first sentence if the last one was closed.
    const chunks = this.stages.llm.generate({ messages: [...this.messages], tools: options.tools ?? [], signal: controller.signal })[Symbol.asyncIterator]();
    const first = chunks.next();
    this.stages.tts.warm?.({ voice: options.voice, preferred: this.outputFormat });
    const speaker = new SentenceSpeaker(this.stages.tts, this.outputFormat, { voice: options.voice, language: options.language }, controller.signal, {
      onSentence: (text) => {
        turn.addSegment(text);
        this.emit(turn.partial(this.inputMs));
      },
      onAudio: (data, ms) => {
        if (turn.stopped || turn.cut) return;
        turn.addAudio(ms, this.inputMs);
        this.emit({ type: 'audio', responseId: turn.id, data, format: this.outputFormat });
      },
      onError: (error) => this.emitStageError(error),
    });
    const splitter = new SentenceSplitter();
    const calls: ToolCallRequest[] = [];
    let said = '';
    try {
      for (let next = await first; !next.done; next = await chunks.next()) {
        const chunk = next.value;
        if (controller.signal.aborted) {
          await chunks.return?.(undefined);
          break;
        }
        if (chunk.type === 'text') {
          said += chunk.text;
          for (const sentence of splitter.push(chunk.text)) speaker.speak(sentence);
        } else {
          calls.push(chunk.call);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted && !isAbort(error)) this.emitStageError(error);
    }
    if (!controller.signal.aborted) for (const sentence of splitter.flush()) speaker.speak(sentence);
    if (calls.length > 0 && !controller.signal.aborted) {
      current.messageIndex = this.messages.push({ role: 'assistant', content: said.trim(), toolCalls: calls }) - 1;
      turn.hadToolCall = true;
      for (const call of calls) this.emitToolCall(call);
    }
    await speaker.finish();
    if (!turn.ended && !turn.cut) this.finish(current);
  }

  private emitToolCall(call: ToolCallRequest): void {
    const args = parseToolArguments(call.arguments);
    if (!args) this.reject('invalid_tool_arguments');
    this.pendingToolCalls.add(call.callId);
    this.emit({ type: 'tool_call', callId: call.callId, name: call.name, arguments: args ?? {}, ...(args ? {} : { invalidArguments: call.arguments }) });
  }

  private finish(current: CascadeTurn, heardMs?: number): void {
    const { turn } = current;
    const final = turn.final(this.inputMs, heardMs);
    turn.ended = true;
    turn.generating = false;
    if (current.messageIndex === undefined) {
      if (final.text) current.messageIndex = this.messages.push({ role: 'assistant', content: final.text }) - 1;
    } else {
      this.rewriteMessage(current, final.text);
    }
    if (final.text) this.emit(final);
    this.emit({ type: 'turn_end', responseId: turn.id, reason: turn.endReason() });
  }

  private rewriteMessage(current: CascadeTurn, text: string): void {
    const index = current.messageIndex;
    const message = index === undefined ? undefined : this.messages[index];
    if (message?.role === 'assistant') this.messages[index!] = { ...message, content: text };
  }

  private emitStageError(error: unknown): void {
    const aiError = error instanceof AiError ? error : new AiError(this.provider, 'provider_error', error instanceof Error ? error.message : String(error));
    this.emit({ type: 'error', error: aiError });
  }
}
