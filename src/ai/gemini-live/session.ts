/**
 * Gemini Live (BidiGenerateContent) as an `AiSession`: caller audio goes as 16 kHz PCM, agent audio comes as
 * 24 kHz PCM and leaves in the leg's format (media resampler), `interrupted` marks barge-in, transcriptions and
 * tool calls map to the contract, `goAway` and resumption handles are surfaced. Gemini does not report caller
 * speech start/stop, so a local energy VAD does.
 */
import type WebSocket from 'ws';
import { int16ToPcm16le } from '../../media/index.js';
import { AgentTurn } from '../agent-turn.js';
import { AudioConverter, PCM16_16K, audioBytes, audioMs, sameFormat } from '../audio-format.js';
import { CallerActivity } from '../caller-activity.js';
import { AiError } from '../errors.js';
import { AiSessionBase } from '../session-base.js';
import type { AiSession, AiSessionOptions, ProviderHooks } from '../session.js';
import { decodeBase64, encodeBase64 } from '../wire-parse.js';
import { GEMINI_URL, functionResponseBody, historyContents, setupMessage, type GeminiLiveConfig } from './config.js';
import { GeminiLink } from './link.js';
import { durationMs, geminiServerMessage, pcmRate, type GeminiClientMessage, type GeminiServerMessage } from './wire.js';

const PROVIDER = 'gemini-live';
/** Agent audio is converted and handed out in pieces this long. */
const OUT_PIECE_MS = 20;

export class GeminiLiveSession extends AiSessionBase implements AiSession {
  readonly provider = PROVIDER;
  private readonly config: GeminiLiveConfig;
  private link: GeminiLink | undefined;
  /** Links replaced by a resumed one: still heard until the server closes them, never reported as lost. */
  private readonly retired = new Set<GeminiLink>();
  private resuming = false;
  /** Sessions resumed on a new socket after `goAway`. */
  resumptions = 0;
  private seq = 0;
  private closing = false;
  private ready = false;
  private inputConverter: AudioConverter | undefined;
  /** Agent audio converters by the rate the provider sent (24 kHz normally). */
  private readonly outputConverters = new Map<number, AudioConverter>();
  private activity: CallerActivity | undefined;
  private callerSpeaking = false;
  private caller: { text: string; since: number; startMs: number; endMs: number | undefined } | undefined;
  private lastSpeechStartMs = 0;
  private lastSpeechStopMs: number | undefined;
  private turn: AgentTurn | undefined;
  /** The server is still sending the current model turn (until turnComplete, or a tool call). */
  private serverTurnOpen = false;
  private turnCount = 0;
  private readonly toolNames = new Map<string, string>();
  private handle: string | undefined;

  constructor(config: GeminiLiveConfig, hooks: ProviderHooks = {}) {
    super(hooks);
    this.config = config;
    this.handle = config.resumptionHandle;
  }

  /** The latest session resumption handle the server gave (pass it as `resumptionHandle` to continue). */
  get resumptionHandle(): string | undefined {
    return this.handle;
  }

  async start(options: AiSessionOptions): Promise<void> {
    if (this.link || this.options) throw new AiError(PROVIDER, 'bad_request', 'session already started');
    this.configure(options);
    this.inputConverter = new AudioConverter(this.inputFormat, PCM16_16K);
    this.activity = new CallerActivity(16000, this.config.vadHangoverMs ?? 300);
    try {
      this.link = await this.openLink();
    } catch (error) {
      this.emitClosed('start_failed');
      throw error;
    }
    this.ready = true;
    const history = historyContents(options.history ?? []);
    if (options.speakFirst) history.push({ role: 'user', parts: [{ text: '(The call is connected. Greet the caller.)' }] });
    if (history.length > 0) this.send({ clientContent: { turns: history, turnComplete: options.speakFirst === true } });
    if (options.speakFirst) this.expectReply('speak-first');
  }

  sendAudio(frame: Uint8Array): void {
    if (!this.ready || this.closed || !this.inputConverter || !this.activity) return;
    this.countInput(frame);
    const samples = this.inputConverter.toSamples(frame);
    if (samples.length === 0) return;
    for (const event of this.activity.push(samples)) {
      if (event.type === 'speech_start') this.onCallerSpeechStart(event.atMs);
      else this.onCallerSpeechStop(event.atMs);
    }
    this.send({ realtimeInput: { audio: { data: encodeBase64(int16ToPcm16le(samples)), mimeType: 'audio/pcm;rate=16000' } } });
  }

  sendText(text: string): void {
    if (!this.ready || this.closed) return;
    if (this.turn && this.serverTurnOpen && !this.turn.ended) this.interrupt(this.turn.audioMs);
    this.flushCaller();
    this.emit({ type: 'transcript', speaker: 'caller', text, final: true, startMs: this.inputMs, endMs: this.inputMs });
    this.send({ clientContent: { turns: [{ role: 'user', parts: [{ text }] }], turnComplete: true } });
    this.expectReply('text');
  }

  interrupt(heardMs: number): void {
    const turn = this.turn;
    if (!turn || turn.stopped || this.closed) return;
    // Gemini has no truncate: the server already stopped on its own VAD, or what is left of the turn is dropped here.
    const heard = Math.max(0, Math.min(Math.round(heardMs), Math.floor(turn.audioMs)));
    turn.stopped = true;
    for (const converter of this.outputConverters.values()) converter.reset();
    if (!turn.ended) {
      turn.ended = true;
      this.emit(turn.final(this.inputMs, heard));
      this.emit({ type: 'turn_end', responseId: turn.id, reason: turn.endReason() });
    } else if (heard < turn.audioMs) {
      this.emit(turn.final(this.inputMs, heard));
    }
  }

  sendToolResult(callId: string, result: unknown): void {
    if (!this.ready || this.closed) return;
    const name = this.toolNames.get(callId) ?? '';
    this.toolNames.delete(callId);
    this.send({ toolResponse: { functionResponses: [{ id: callId, name, response: functionResponseBody(result) }] } });
    this.expectReply('tool results');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    await Promise.all([this.link, ...this.retired].map((link) => link?.close()));
    this.emitClosed('client');
  }

  private send(message: GeminiClientMessage): void {
    this.link?.send(message);
  }

  private openLink(): Promise<GeminiLink> {
    const base = this.config.baseUrl ?? GEMINI_URL;
    const url = `${base}${base.includes('?') ? '&' : '?'}key=${encodeURIComponent(this.config.apiKey)}`;
    return GeminiLink.open(
      url,
      setupMessage(this.config, this.options!, this.handle),
      { onMessage: (link, data) => this.onMessage(link, data), onClose: (link, code, reason) => this.onClose(link, code, reason) },
      { connectMs: this.config.connectTimeoutMs, readyMs: this.config.readyTimeoutMs ?? 10_000, pingMs: this.hooks.pingMs ?? 1000 }, // a dead socket is found within 2 s
    );
  }

  /** `goAway`: continue the same conversation on a new socket (resumption handle) before the old one closes. */
  private async resume(timeLeftMs: number): Promise<void> {
    if (this.resuming || this.closed) return;
    this.resuming = true;
    try {
      const next = await this.openLink();
      if (this.closed) return void next.close();
      const old = this.link;
      this.link = next;
      this.resumptions++;
      if (old) {
        this.retired.add(old);
        // The old socket may still finish the turn in flight; the server closes it when its time is up.
        setTimeout(() => void old.close(), Math.max(timeLeftMs, 1000)).unref?.();
      }
    } catch (error) {
      this.emit({ type: 'error', error: error instanceof AiError ? error : new AiError(PROVIDER, 'connect_failed', String(error)) });
    } finally {
      this.resuming = false;
    }
  }

  private onClose(link: GeminiLink, code: number, reason: string): void {
    if (this.retired.delete(link) || link !== this.link) return;
    if (this.closing || this.closed) return;
    const error = new AiError(PROVIDER, 'connection_lost', `socket closed (${code}${reason ? ` ${reason}` : ''})`);
    if (this.ready) this.emit({ type: 'error', error });
    this.emitClosed('connection_lost');
  }

  private onMessage(link: GeminiLink, data: WebSocket.RawData): void {
    if (this.closed) return;
    this.countEvent();
    // Gemini sends its JSON in binary frames as often as in text frames.
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return this.reject('invalid_json');
    }
    const parsed = geminiServerMessage.safeParse(json);
    if (!parsed.success || typeof json !== 'object' || json === null || Array.isArray(json)) return this.reject('invalid_message');
    this.seq++;
    const message = parsed.data;
    if (message.setupComplete) link.markReady();
    if (message.sessionResumptionUpdate?.resumable && message.sessionResumptionUpdate.newHandle) {
      this.handle = message.sessionResumptionUpdate.newHandle;
    }
    if (message.serverContent) this.onServerContent(message.serverContent);
    if (message.toolCall) this.onToolCall(message.toolCall);
    if (message.toolCallCancellation) for (const id of message.toolCallCancellation.ids ?? []) this.toolNames.delete(id);
    if (message.goAway) {
      const timeLeftMs = durationMs(message.goAway.timeLeft) ?? 0;
      const resuming = this.config.autoResume !== false && this.handle !== undefined && link === this.link;
      this.emit({ type: 'going_away', timeLeftMs, resuming });
      if (resuming) void this.resume(timeLeftMs);
    }
  }

  private onServerContent(content: NonNullable<GeminiServerMessage['serverContent']>): void {
    if (content.inputTranscription?.text) this.onCallerText(content.inputTranscription.text);
    if (content.inputTranscription?.finished) this.flushCaller();
    if (content.interrupted) this.onInterrupted();
    for (const part of content.modelTurn?.parts ?? []) {
      if (part.inlineData?.data !== undefined) this.onAgentAudio(part.inlineData.mimeType, part.inlineData.data);
    }
    if (content.outputTranscription?.text) {
      const turn = this.openTurn();
      if (!turn.stopped && !turn.cut) {
        turn.text += content.outputTranscription.text;
        this.emit(turn.partial(this.inputMs));
      }
    }
    if (content.generationComplete && this.turn) this.turn.generating = false;
    if (content.turnComplete) this.onTurnComplete();
  }

  private onCallerSpeechStart(atMs: number): void {
    if (this.callerSpeaking) return;
    this.callerSpeaking = true;
    this.lastSpeechStartMs = atMs;
    this.lastSpeechStopMs = undefined;
    this.emit({ type: 'speech_started', atMs });
  }

  private onCallerSpeechStop(atMs: number): void {
    if (!this.callerSpeaking) return;
    this.callerSpeaking = false;
    this.lastSpeechStopMs = atMs;
    if (this.caller) this.caller.endMs = atMs;
    this.emit({ type: 'speech_stopped', atMs });
  }

  private onCallerText(text: string): void {
    this.caller ??= { text: '', since: this.seq, startMs: this.lastSpeechStartMs, endMs: this.lastSpeechStopMs };
    this.caller.text += text;
    const { startMs, endMs } = this.caller;
    this.emit({ type: 'transcript', speaker: 'caller', text: this.caller.text.trim(), final: false, startMs, endMs: endMs ?? this.inputMs });
  }

  /** Emits the caller's final transcript if one is being gathered and began before `beforeSeq`. */
  private flushCaller(beforeSeq = Infinity): void {
    const caller = this.caller;
    if (!caller || caller.since >= beforeSeq) return;
    this.caller = undefined;
    const text = caller.text.trim();
    if (text) this.emit({ type: 'transcript', speaker: 'caller', text, final: true, startMs: caller.startMs, endMs: caller.endMs ?? this.lastSpeechStopMs ?? this.inputMs });
  }

  private openTurn(): AgentTurn {
    if (this.turn && this.serverTurnOpen) return this.turn;
    // A turn the server cut that the call layer never interrupted: close it with what it produced.
    if (this.turn && !this.turn.ended) this.finish(this.turn);
    this.serverTurnOpen = true;
    this.turn = new AgentTurn(`gemini-turn-${++this.turnCount}`, this.seq);
    for (const converter of this.outputConverters.values()) converter.reset();
    return this.turn;
  }

  private onAgentAudio(mimeType: string | undefined, data: string): void {
    const rate = pcmRate(mimeType);
    const bytes = decodeBase64(data);
    if (!rate || !bytes) return this.reject(rate ? 'invalid_audio_base64' : 'unexpected_audio_format');
    const turn = this.openTurn();
    if (turn.stopped || turn.cut) return;
    let converter = this.outputConverters.get(rate);
    if (!converter) this.outputConverters.set(rate, (converter = new AudioConverter({ encoding: 'pcm16', sampleRate: rate }, this.outputFormat)));
    const passthrough = sameFormat(converter.from, this.outputFormat);
    // 20 ms at a time: the first piece is resampled and on its way to the caller before the rest of the chunk
    // (Gemini sends ~100 ms or more per message) is converted.
    const step = passthrough ? bytes.length : audioBytes(OUT_PIECE_MS, converter.from);
    for (let at = 0; at < bytes.length; at += step) {
      const piece = bytes.subarray(at, at + step);
      turn.addAudio(audioMs(piece.length, converter.from), this.inputMs);
      const out = passthrough ? piece : converter.convert(piece);
      if (out.length > 0) this.emit({ type: 'audio', responseId: turn.id, data: out, format: this.outputFormat });
      if (turn.stopped || turn.cut || this.closed) return;
    }
  }

  private onInterrupted(): void {
    // The server's VAD may hear the caller before ours does: the contract wants speech_started first.
    if (!this.callerSpeaking) this.onCallerSpeechStart(this.inputMs);
    const turn = this.turn;
    if (!turn || turn.ended || turn.stopped || turn.cut) return;
    turn.cut = true;
    turn.generating = false;
    this.emit({ type: 'interrupted', responseId: turn.id, atMs: this.lastSpeechStartMs });
  }

  private onToolCall(toolCall: NonNullable<GeminiServerMessage['toolCall']>): void {
    const turn = this.openTurn();
    this.flushCaller(turn.seq + 1);
    for (const call of toolCall.functionCalls ?? []) {
      if (!call.name) {
        this.reject('tool_call_without_name');
        continue;
      }
      const callId = call.id ?? `call-${this.seq}-${call.name}`;
      this.toolNames.set(callId, call.name);
      turn.hadToolCall = true;
      this.emit({ type: 'tool_call', callId, name: call.name, arguments: call.args ?? {} });
    }
    // The model waits for the results: this turn is over.
    this.serverTurnOpen = false;
    if (!turn.ended) this.finish(turn);
  }

  private onTurnComplete(): void {
    const turn = this.serverTurnOpen ? this.turn : undefined;
    this.serverTurnOpen = false;
    if (this.callerSpeaking && !this.activity?.speaking) this.onCallerSpeechStop(this.inputMs);
    if (!turn || turn.ended) return;
    turn.generating = false;
    if (turn.cut) return; // interrupt() closes it with what was heard
    this.finish(turn);
  }

  private finish(turn: AgentTurn): void {
    this.flushCaller(turn.seq + 1);
    turn.ended = true;
    turn.generating = false;
    if (turn.text.trim()) this.emit(turn.final(this.inputMs));
    this.emit({ type: 'turn_end', responseId: turn.id, reason: turn.endReason() });
  }
}
