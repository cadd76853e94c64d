/**
 * OpenAI Realtime (GA) over a WebSocket, as an `AiSession`. Audio passes through as μ-law/A-law where the leg
 * speaks it; barge-in truncates the assistant item at the ms the caller heard; tool calls come from
 * `response.output_item.done`; caller transcripts (which OpenAI delivers late) are ordered by a `CallerTurnGate`.
 */
import type WebSocket from 'ws';
import { AgentTurn } from '../agent-turn.js';
import { AudioConverter, audioMs, sameFormat } from '../audio-format.js';
import { CallerTurnGate } from '../caller-turn-gate.js';
import { deferred, withTimeout, type Deferred } from '../deferred.js';
import { AiError } from '../errors.js';
import { AiSessionBase } from '../session-base.js';
import type { AiEvent, AiSession, AiSessionOptions, ProviderHooks } from '../session.js';
import { parseToolArguments, toolResultText } from '../tools.js';
import { decodeBase64, encodeBase64, parseJson, parseTypedEvent } from '../wire-parse.js';
import { connectWebSocket, sendJson } from '../ws-connect.js';
import { DEFAULT_TURN_DETECTION, historyItems, sessionUpdate, wireFormat, type OpenAiRealtimeConfig } from './config.js';
import { realtimeServerEvents, type RealtimeClientMessage, type RealtimeServerMessage } from './wire.js';

const PROVIDER = 'openai-realtime';

interface CallerTurn {
  startMs: number;
  endMs: number | undefined;
  text: string;
}

export class OpenAiRealtimeSession extends AiSessionBase implements AiSession {
  readonly provider = PROVIDER;
  private readonly config: OpenAiRealtimeConfig;
  private ws: WebSocket | undefined;
  private seq = 0;
  private closing = false;
  private ready = false;
  private created: Deferred<void> = deferred();
  private updated: Deferred<void> = deferred();
  private inputConverter: AudioConverter | undefined;
  private outputConverter: AudioConverter | undefined;
  private wireOutputFormat = this.outputFormat;
  private readonly turns = new Map<string, AgentTurn>();
  private lastTurn: AgentTurn | undefined;
  private readonly callerTurns = new Map<string, CallerTurn>();
  /** Tool calls of the latest response still waiting for their result. */
  private readonly pendingToolCalls = new Set<string>();
  private readonly gate: CallerTurnGate;
  private sessionLimit: ReturnType<typeof setTimeout> | undefined;

  constructor(config: OpenAiRealtimeConfig, hooks: ProviderHooks = {}) {
    super(hooks);
    this.config = config;
    this.gate = new CallerTurnGate(config.transcriptWaitMs ?? 2000, (itemId) => {
      this.reject('caller_transcript_late');
      this.callerTurns.delete(itemId);
    });
  }

  async start(options: AiSessionOptions): Promise<void> {
    if (this.ws) throw new AiError(PROVIDER, 'bad_request', 'session already started');
    this.configure(options);
    const input = wireFormat(this.inputFormat);
    const output = wireFormat(this.outputFormat);
    this.inputConverter = sameFormat(input.format, this.inputFormat) ? undefined : new AudioConverter(this.inputFormat, input.format);
    this.wireOutputFormat = output.format;
    this.outputConverter = sameFormat(output.format, this.outputFormat) ? undefined : new AudioConverter(output.format, this.outputFormat);

    const base = this.config.baseUrl ?? 'wss://api.openai.com/v1/realtime';
    const url = `${base}${base.includes('?') ? '&' : '?'}model=${encodeURIComponent(this.config.model ?? 'gpt-realtime')}`;
    const ws = await connectWebSocket(PROVIDER, url, {
      headers: { Authorization: `Bearer ${this.config.apiKey}` },
      timeoutMs: this.config.connectTimeoutMs,
      pingMs: this.hooks.pingMs ?? 1000, // a dead socket is found within 2 s
      onMessage: (data, isBinary) => this.onMessage(data, isBinary),
    });
    this.ws = ws;
    ws.on('close', (code, reason) => this.onClose(code, String(reason)));
    ws.on('error', () => undefined); // 'close' follows and reports it

    const readyMs = this.config.readyTimeoutMs ?? 10_000;
    const timeout = (what: string) => () => new AiError(PROVIDER, 'timeout', `no ${what} within ${readyMs} ms`);
    try {
      await withTimeout(this.created.promise, readyMs, timeout('session.created'));
      this.send(sessionUpdate(this.config, options, this.outputFormat));
      await withTimeout(this.updated.promise, readyMs, timeout('session.updated'));
    } catch (error) {
      this.closing = true;
      ws.terminate();
      this.emitClosed('start_failed');
      throw error;
    }
    for (const event of historyItems(options.history ?? [])) this.send(event);
    this.ready = true;
    // OpenAI ends a session at its length cap without warning: warn ahead so the router can roll over. The default
    // lead is at most half the cap: a warning at the start would roll every fresh session over at once (a storm).
    const limitMs = this.config.sessionLimitMs ?? 60 * 60_000;
    const leadMs = Math.min(this.config.goingAwayLeadMs ?? Math.min(60_000, limitMs / 2), limitMs);
    this.sessionLimit = setTimeout(() => this.emit({ type: 'going_away', timeLeftMs: leadMs }), limitMs - leadMs);
    this.sessionLimit.unref?.();
    if (options.speakFirst) this.createResponse('speak-first');
  }

  sendAudio(frame: Uint8Array): void {
    if (!this.ready || this.closed) return;
    this.countInput(frame);
    const wire = this.inputConverter ? this.inputConverter.convert(frame) : frame;
    if (wire.length > 0) this.send({ type: 'input_audio_buffer.append', audio: encodeBase64(wire) });
  }

  sendText(text: string): void {
    if (!this.ready || this.closed) return;
    if (this.lastTurn?.generating) this.interrupt(this.lastTurn.audioMs);
    this.emit({ type: 'transcript', speaker: 'caller', text, final: true, startMs: this.inputMs, endMs: this.inputMs });
    this.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    this.createResponse('text');
  }

  interrupt(heardMs: number): void {
    const turn = this.lastTurn;
    if (!turn || turn.stopped || this.closed) return;
    const heard = Math.max(0, Math.min(Math.round(heardMs), Math.floor(turn.audioMs)));
    if (turn.generating) this.send({ type: 'response.cancel' });
    if (turn.audioItemId && (turn.generating || heard < turn.audioMs)) {
      this.send({ type: 'conversation.item.truncate', item_id: turn.audioItemId, content_index: 0, audio_end_ms: heard });
    }
    turn.stopped = true;
    this.outputConverter?.reset();
    const wasEnded = turn.ended;
    turn.ended = true;
    if (!wasEnded) {
      this.gate.after(turn.seq, () => {
        this.emit(turn.final(this.inputMs, heard));
        this.emit({ type: 'turn_end', responseId: turn.id, reason: turn.endReason() });
      });
    } else if (heard < turn.audioMs) {
      this.gate.after(turn.seq, () => this.emit(turn.final(this.inputMs, heard)));
    }
  }

  sendToolResult(callId: string, result: unknown): void {
    if (!this.ready || this.closed) return;
    this.send({ type: 'conversation.item.create', item: { type: 'function_call_output', call_id: callId, output: toolResultText(result) } });
    this.pendingToolCalls.delete(callId);
    if (this.pendingToolCalls.size === 0) this.createResponse('tool results');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    this.gate.clear();
    clearTimeout(this.sessionLimit);
    const ws = this.ws;
    if (ws && ws.readyState === ws.OPEN) {
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.close(1000, 'client closed');
      await withTimeout(closed, 1000, () => new Error('close timeout')).catch(() => ws.terminate());
    }
    this.emitClosed('client');
  }

  private createResponse(after: string): void {
    this.send({ type: 'response.create' });
    this.expectReply(after);
  }

  private send(message: RealtimeClientMessage): void {
    sendJson(this.ws, message);
  }

  private onClose(code: number, reason: string): void {
    this.gate.clear();
    clearTimeout(this.sessionLimit);
    const error = new AiError(PROVIDER, 'connection_lost', `socket closed (${code}${reason ? ` ${reason}` : ''})`);
    this.created.reject(error);
    this.updated.reject(error);
    if (this.closing || this.closed) return;
    if (this.ready) this.emit({ type: 'error', error });
    this.emitClosed('connection_lost');
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.countEvent();
    const json = parseJson(data, isBinary);
    if (!json.ok) return this.reject(json.reason);
    const parsed = parseTypedEvent(realtimeServerEvents, json.value);
    if (parsed.kind === 'rejected') return this.reject(parsed.reason);
    if (parsed.kind === 'ignored') return;
    this.seq++;
    switch (parsed.type) {
      case 'session.created':
        return this.created.resolve();
      case 'session.updated':
        return this.updated.resolve();
      case 'error':
        return this.onError(parsed.event);
      case 'input_audio_buffer.speech_started':
        return this.onSpeechStarted(parsed.event);
      case 'input_audio_buffer.speech_stopped': {
        const turn = this.callerTurns.get(parsed.event.item_id);
        if (turn) turn.endMs = parsed.event.audio_end_ms;
        this.emit({ type: 'speech_stopped', atMs: parsed.event.audio_end_ms });
        if ((this.config.turnDetection ?? DEFAULT_TURN_DETECTION).create_response !== false) this.expectReply('caller turn');
        return;
      }
      case 'conversation.item.input_audio_transcription.delta':
        return this.onCallerDelta(parsed.event.item_id, parsed.event.delta ?? '');
      case 'conversation.item.input_audio_transcription.completed':
        return this.onCallerFinal(parsed.event.item_id, parsed.event.transcript);
      case 'conversation.item.input_audio_transcription.failed':
        this.callerTurns.delete(parsed.event.item_id);
        return this.gate.resolve(parsed.event.item_id);
      case 'response.created':
        return this.onResponseCreated(parsed.event.response.id ?? `response-${this.seq}`);
      case 'response.output_audio.delta':
        return this.onAudioDelta(parsed.event);
      case 'response.output_audio_transcript.delta':
        return this.onTranscriptDelta(parsed.event);
      case 'response.output_item.done':
        return this.onOutputItemDone(parsed.event);
      case 'response.done':
        return this.onResponseDone(parsed.event);
    }
  }

  private onError(event: RealtimeServerMessage<'error'>): void {
    const { code, type, message } = event.error;
    // Cancelling a response the server already stopped (server VAD got there first), or asking for one while
    // the server already started one (caller spoke while tool results came back), is expected.
    if (code === 'response_cancel_not_active' || code === 'conversation_already_has_active_response') return;
    const rateLimited = code === 'rate_limit_exceeded' || type === 'rate_limit_error';
    const serverSide = type === 'server_error';
    const error = new AiError(PROVIDER, rateLimited ? 'rate_limited' : serverSide ? 'provider_error' : 'bad_request', `${code ?? type}: ${message}`);
    if (!this.ready) {
      this.created.reject(error);
      this.updated.reject(error);
      return;
    }
    this.emit({ type: 'error', error });
  }

  private onSpeechStarted(event: RealtimeServerMessage<'input_audio_buffer.speech_started'>): void {
    this.callerTurns.set(event.item_id, { startMs: event.audio_start_ms, endMs: undefined, text: '' });
    this.gate.open(event.item_id, this.seq);
    this.emit({ type: 'speech_started', atMs: event.audio_start_ms });
    const turn = this.lastTurn;
    if (turn && turn.generating && !turn.stopped && !turn.cut) {
      turn.cut = true;
      this.emit({ type: 'interrupted', responseId: turn.id, atMs: event.audio_start_ms });
    }
  }

  private onCallerDelta(itemId: string, delta: string): void {
    const turn = this.callerTurns.get(itemId);
    if (!turn || delta === '') return;
    turn.text += delta;
    this.emit({ type: 'transcript', speaker: 'caller', text: turn.text.trim(), final: false, startMs: turn.startMs, endMs: turn.endMs ?? this.inputMs });
  }

  private onCallerFinal(itemId: string, transcript: string): void {
    const turn = this.callerTurns.get(itemId);
    this.callerTurns.delete(itemId);
    const text = transcript.trim();
    if (text) {
      const startMs = turn?.startMs ?? this.inputMs;
      this.emit({ type: 'transcript', speaker: 'caller', text, final: true, startMs, endMs: turn?.endMs ?? this.inputMs });
    }
    this.gate.resolve(itemId);
  }

  private onResponseCreated(id: string): void {
    const previous = this.lastTurn;
    // A response the provider cut and the call layer never interrupted: close it with what it produced.
    if (previous && !previous.ended) this.finish(previous);
    const turn = new AgentTurn(id, this.seq);
    this.turns.set(id, turn);
    this.lastTurn = turn;
    this.pendingToolCalls.clear();
    this.outputConverter?.reset();
  }

  private onAudioDelta(event: RealtimeServerMessage<'response.output_audio.delta'>): void {
    const turn = this.turns.get(event.response_id);
    if (!turn) return this.reject('audio_for_unknown_response');
    if (turn.stopped) return;
    const bytes = decodeBase64(event.delta);
    if (!bytes) return this.reject('invalid_audio_base64');
    turn.audioItemId ??= event.item_id;
    turn.addAudio(audioMs(bytes.length, this.wireOutputFormat), this.inputMs);
    const data = this.outputConverter ? this.outputConverter.convert(bytes) : bytes;
    if (data.length > 0) this.emit({ type: 'audio', responseId: turn.id, data, format: this.outputFormat });
  }

  private onTranscriptDelta(event: RealtimeServerMessage<'response.output_audio_transcript.delta'>): void {
    const turn = this.turns.get(event.response_id);
    if (!turn) return this.reject('transcript_for_unknown_response');
    if (turn.stopped) return;
    turn.text += event.delta;
    this.emit(turn.partial(this.inputMs));
  }

  private onOutputItemDone(event: RealtimeServerMessage<'response.output_item.done'>): void {
    const item = event.item;
    if (item.type !== 'function_call' || !('name' in item)) return;
    const turn = this.turns.get(event.response_id);
    if (!turn) return this.reject('item_for_unknown_response');
    const args = parseToolArguments(item.arguments);
    if (!args) this.reject('invalid_tool_arguments');
    const callId = item.call_id ?? item.id ?? `call-${this.seq}`;
    turn.hadToolCall = true;
    this.pendingToolCalls.add(callId);
    const call: AiEvent = { type: 'tool_call', callId, name: item.name, arguments: args ?? {}, ...(args ? {} : { invalidArguments: item.arguments }) };
    this.gate.after(turn.seq, () => this.emit(call));
  }

  private onResponseDone(event: RealtimeServerMessage<'response.done'>): void {
    const id = event.response.id;
    const turn = id ? this.turns.get(id) : this.lastTurn;
    if (!turn) return this.reject('done_for_unknown_response');
    turn.generating = false;
    if (event.response.status === 'failed') {
      const detail = event.response.status_details?.error?.code ?? 'response failed';
      this.emit({ type: 'error', error: new AiError(PROVIDER, 'provider_error', detail) });
    }
    // A cut response waits for interrupt() to say how much was heard.
    if (turn.ended || turn.cut) return;
    this.finish(turn);
  }

  private finish(turn: AgentTurn): void {
    turn.ended = true;
    turn.generating = false;
    this.gate.after(turn.seq, () => {
      if (turn.text.trim()) this.emit(turn.final(this.inputMs));
      this.emit({ type: 'turn_end', responseId: turn.id, reason: turn.endReason() });
    });
    // Keep memory flat over a long call: only the latest responses can still get audio or an interrupt.
    for (const id of this.turns.keys()) {
      if (this.turns.size <= 4) break;
      if (id !== this.lastTurn?.id) this.turns.delete(id);
    }
  }
}
