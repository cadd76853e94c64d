/**
 * Deepgram streaming speech-to-text: one WebSocket per call on `/v1/listen` (nova-3, the leg's encoding so μ-law
 * passes through, interim results, endpointing, utterance end, VAD events), KeepAlive while no audio flows,
 * Finalize and CloseStream.
 */
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import type { SpeechToText, SpeechToTextStream, SttEvent } from '../cascade/stages.js';
import { withTimeout } from '../deferred.js';
import { AiError } from '../errors.js';
import type { AudioFormat, ProviderHooks } from '../session.js';
import { parseJson, parseTypedEvent } from '../wire-parse.js';
import { connectWebSocket, sendJson } from '../ws-connect.js';
import { listenServerEvents, type ListenControlMessage, type ListenQuery } from './wire.js';

const PROVIDER = 'deepgram';

export interface DeepgramListenConfig {
  apiKey: string;
  /** Default "wss://api.deepgram.com/v1/listen". */
  baseUrl?: string;
  /** Default "nova-3". */
  model?: string;
  /** Silence that ends an utterance (speech_final), default 300 ms. */
  endpointingMs?: number;
  /** Gap in words that sends UtteranceEnd, default 1000 ms. */
  utteranceEndMs?: number;
  /** KeepAlive period while no audio is sent; Deepgram closes an idle stream after 10 s. Default 4 s. */
  keepAliveMs?: number;
  connectTimeoutMs?: number;
}

export function listenQuery(config: DeepgramListenConfig, format: AudioFormat, language?: string): ListenQuery {
  return {
    model: config.model ?? 'nova-3',
    encoding: format.encoding === 'pcm16' ? 'linear16' : format.encoding,
    sample_rate: format.sampleRate,
    channels: 1,
    interim_results: 'true',
    endpointing: config.endpointingMs ?? 300,
    utterance_end_ms: config.utteranceEndMs ?? 1000,
    vad_events: 'true',
    smart_format: 'true',
    ...(language ? { language } : {}),
  };
}

export class DeepgramSpeechToText implements SpeechToText {
  readonly name = 'deepgram';
  private readonly config: DeepgramListenConfig;
  private readonly hooks: ProviderHooks;

  constructor(config: DeepgramListenConfig, hooks: ProviderHooks = {}) {
    this.config = config;
    this.hooks = hooks;
  }

  async open(options: { format: AudioFormat; language?: string }): Promise<SpeechToTextStream> {
    const query = listenQuery(this.config, options.format, options.language);
    const early: Array<[WebSocket.RawData, boolean]> = [];
    const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
    const ws = await connectWebSocket(PROVIDER, `${this.config.baseUrl ?? 'wss://api.deepgram.com/v1/listen'}?${params}`, {
      headers: { Authorization: `Token ${this.config.apiKey}` },
      timeoutMs: this.config.connectTimeoutMs,
      pingMs: this.hooks.pingMs ?? 5000,
      onMessage: (data, isBinary) => early.push([data, isBinary]),
    });
    const stream = new DeepgramListenStream(ws, this.config.keepAliveMs ?? 4000, this.hooks);
    ws.removeAllListeners('message');
    ws.on('message', (data, isBinary) => stream.receive(data, isBinary));
    for (const [data, isBinary] of early) stream.receive(data, isBinary);
    return stream;
  }
}

export class DeepgramListenStream implements SpeechToTextStream {
  /** KeepAlive messages sent (health and tests). */
  keepAlivesSent = 0;
  private readonly ws: WebSocket;
  private readonly hooks: ProviderHooks;
  private readonly listeners = new Set<(event: SttEvent) => void>();
  private readonly keepAlive: ReturnType<typeof setInterval>;
  /** When audio or a control message last went out (`performance.now()`). */
  private lastSentAt = performance.now();
  private closing = false;
  private ended = false;

  constructor(ws: WebSocket, keepAliveMs: number, hooks: ProviderHooks) {
    this.ws = ws;
    this.hooks = hooks;
    ws.on('close', (code, reason) => this.onClose(code, String(reason)));
    ws.on('error', () => undefined);
    // Checked four times a period, so the longest silence on the wire is 1.25 periods (5 s of Deepgram's 10).
    this.keepAlive = setInterval(() => {
      if (performance.now() - this.lastSentAt < keepAliveMs) return;
      if (this.control({ type: 'KeepAlive' })) this.keepAlivesSent++;
    }, Math.max(10, keepAliveMs / 4));
    this.keepAlive.unref?.();
  }

  onEvent(listener: (event: SttEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  sendAudio(frame: Uint8Array): void {
    if (this.closing || this.ws.readyState !== this.ws.OPEN || frame.length === 0) return;
    this.lastSentAt = performance.now();
    this.ws.send(frame);
  }

  finalize(): void {
    this.control({ type: 'Finalize' });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.keepAlive);
    if (this.ws.readyState === this.ws.OPEN) {
      const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
      this.control({ type: 'CloseStream' });
      await withTimeout(closed, 1500, () => new Error('close timeout')).catch(() => this.ws.terminate());
    }
    this.end('client');
  }

  private control(message: ListenControlMessage): boolean {
    const sent = sendJson(this.ws, message);
    if (sent) this.lastSentAt = performance.now();
    return sent;
  }

  private emit(event: SttEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepAlive);
    this.emit({ type: 'closed', reason });
  }

  private onClose(code: number, reason: string): void {
    if (this.closing) return this.end('client');
    // 1011 NET-0001: no audio or KeepAlive for 10 s; 1008 DATA-0000: audio it could not decode.
    this.emit({ type: 'error', error: new AiError(PROVIDER, 'connection_lost', `stream closed (${code}${reason ? ` ${reason}` : ''})`) });
    this.end('connection_lost');
  }

  /** One message from Deepgram (wired by `DeepgramSpeechToText.open`). */
  receive(data: WebSocket.RawData, isBinary: boolean): void {
    const json = parseJson(data, isBinary);
    if (!json.ok) return this.hooks.onRejectedInput?.(PROVIDER, json.reason);
    const parsed = parseTypedEvent(listenServerEvents, json.value);
    if (parsed.kind === 'rejected') return this.hooks.onRejectedInput?.(PROVIDER, parsed.reason);
    if (parsed.kind === 'ignored') return;
    switch (parsed.type) {
      case 'Results': {
        const result = parsed.event;
        const text = result.channel.alternatives[0]?.transcript ?? '';
        const final = result.is_final === true;
        const endOfTurn = result.speech_final === true;
        if (!text && !final) return;
        const startMs = Math.round(result.start * 1000);
        return this.emit({ type: 'transcript', text, final, endOfTurn, startMs, endMs: Math.round((result.start + result.duration) * 1000) });
      }
      case 'SpeechStarted':
        return this.emit({ type: 'speech_started', atMs: Math.round(parsed.event.timestamp * 1000) });
      case 'UtteranceEnd':
        return this.emit({ type: 'utterance_end', atMs: Math.round(parsed.event.last_word_end * 1000) });
      case 'Error': {
        const detail = parsed.event.description ?? parsed.event.message ?? 'error';
        return this.emit({ type: 'error', error: new AiError(PROVIDER, 'provider_error', detail) });
      }
      case 'Metadata':
        return;
    }
  }
}
