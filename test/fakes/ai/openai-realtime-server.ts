/**
 * A fake OpenAI Realtime server speaking the GA protocol: session.created/updated, server VAD by energy on the
 * audio it receives (speech_started/stopped with audio ms), scripted input transcription, responses with
 * μ-law (or 24 kHz PCM) tone audio and transcript deltas, function_call items, truncate and cancel.
 * Every server event is typed against the official SDK's `RealtimeServerEvent`.
 */
import type { IncomingMessage } from 'node:http';
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type { WebSocket } from 'ws';
import { agentAudio, decode, EnergyTurns, sleep, speechMs, type Encoding } from './audio.js';
import { DEFAULT_SCRIPT, turnAt, type ConversationScript, type Faults } from './script.js';
import { FakeServer, remember } from './server.js';

export interface FakeRealtimeOptions {
  apiKey?: string;
  script?: ConversationScript;
  /** Pace agent audio in real time (one 100 ms chunk per 100 ms) instead of as fast as possible. */
  realtime?: boolean;
  /** Delay of the input transcription after speech stopped (OpenAI's runs beside the response). */
  transcriptDelayMs?: number;
  msPerChar?: number;
}

interface Conn {
  ws: WebSocket;
  session: Record<string, any>;
  turns: EnergyTurns | undefined;
  inputEncoding: Encoding;
  callerIndex: number;
  itemCount: number;
  /** What the next response.create answers. */
  next: { kind: 'greeting' } | { kind: 'turn'; index: number } | { kind: 'after_tool'; index: number };
  response: { id: string; itemId: string; cancelled: boolean; audioMs: number } | undefined;
  audioMsByItem: Map<string, number>;
  callerItem?: string;
  /** A function call the fake made is waiting for its output. */
  pendingCall?: boolean;
}

export class FakeOpenAiRealtime {
  readonly received: RealtimeClientEvent[] = [];
  readonly truncates: Array<{ item_id: string; audio_end_ms: number }> = [];
  readonly connections: Conn[] = [];
  faults: Faults = {};
  script: ConversationScript;
  url = '';
  private readonly server: FakeServer;
  private readonly options: FakeRealtimeOptions;
  private ids = 0;

  constructor(options: FakeRealtimeOptions = {}) {
    this.options = options;
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.server = new FakeServer({
      checkUpgrade: (request) => this.checkUpgrade(request),
      onConnection: (ws) => this.onConnection(ws),
      handshakeDelayMs: () => this.faults.handshakeDelayMs ?? 0,
      ignorePings: () => this.faults.ignorePings === true,
    });
  }

  async start(): Promise<this> {
    this.url = `ws://${await this.server.listen()}/v1/realtime`;
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Client events of one type, in order. */
  sent<T extends RealtimeClientEvent['type']>(type: T): Array<Extract<RealtimeClientEvent, { type: T }>> {
    return this.received.filter((e): e is Extract<RealtimeClientEvent, { type: T }> => e.type === type);
  }

  private id(prefix: string): string {
    return `${prefix}_${++this.ids}`;
  }

  private checkUpgrade(request: IncomingMessage): number | undefined {
    if (this.faults.rejectStatus) return this.faults.rejectStatus;
    if (request.headers.authorization !== `Bearer ${this.options.apiKey ?? 'test-key'}`) return 401;
    if (!new URL(request.url ?? '/', 'http://x').searchParams.get('model')) return 400;
    return undefined;
  }

  private send(conn: Conn, event: RealtimeServerEvent): void {
    if (this.faults.malformed) {
      conn.ws.send('{not json');
      conn.ws.send(JSON.stringify({ type: event.type }));
      conn.ws.send(JSON.stringify([1, 2, 3]));
    }
    conn.ws.send(JSON.stringify(event));
  }

  private onConnection(ws: WebSocket): void {
    const conn: Conn = {
      ws,
      session: {},
      turns: undefined,
      inputEncoding: 'mulaw',
      callerIndex: 0,
      itemCount: 0,
      next: { kind: 'greeting' },
      response: undefined,
      audioMsByItem: new Map(),
    };
    this.connections.push(conn);
    this.send(conn, {
      type: 'session.created',
      event_id: this.id('event'),
      session: { type: 'realtime', model: 'gpt-realtime', output_modalities: ['audio'], instructions: '' },
    });
    ws.on('message', (data) => {
      let event: RealtimeClientEvent;
      try {
        event = JSON.parse(String(data)) as RealtimeClientEvent;
      } catch {
        return;
      }
      remember(this.received, event);
      if (this.faults.silent) return;
      void this.onClientEvent(conn, event);
    });
  }

  private async onClientEvent(conn: Conn, event: RealtimeClientEvent): Promise<void> {
    switch (event.type) {
      case 'session.update': {
        const session = event.session as Record<string, any>;
        conn.session = { ...conn.session, ...session };
        const input = session.audio?.input?.format?.type ?? 'audio/pcm';
        conn.inputEncoding = input === 'audio/pcmu' ? 'mulaw' : input === 'audio/pcma' ? 'alaw' : 'pcm16';
        const silence = session.audio?.input?.turn_detection?.silence_duration_ms ?? 500;
        conn.turns = new EnergyTurns(conn.inputEncoding === 'pcm16' ? 24000 : 8000, silence);
        this.send(conn, { type: 'session.updated', event_id: this.id('event'), session: event.session });
        return;
      }
      case 'input_audio_buffer.append':
        return this.onAudio(conn, Buffer.from(event.audio, 'base64'));
      case 'conversation.item.create': {
        const item = event.item as { type: string; role?: string };
        if (item.type === 'function_call_output' && conn.pendingCall) {
          conn.pendingCall = false;
          conn.next = { kind: 'after_tool', index: conn.callerIndex - 1 };
        }
        else if (item.type === 'message' && item.role === 'user') conn.next = { kind: 'turn', index: conn.callerIndex++ };
        return;
      }
      case 'response.create':
        return this.respond(conn);
      case 'response.cancel':
        if (!conn.response || conn.response.cancelled) {
          this.send(conn, {
            type: 'error',
            event_id: this.id('event'),
            error: { type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'Cancellation failed: no active response found.' },
          });
          return;
        }
        return this.cancel(conn, 'client_cancelled');
      case 'conversation.item.truncate': {
        const sent = conn.audioMsByItem.get(event.item_id);
        if (sent === undefined || event.audio_end_ms > sent) {
          this.send(conn, {
            type: 'error',
            event_id: this.id('event'),
            error: { type: 'invalid_request_error', code: 'invalid_value', message: `audio_end_ms ${event.audio_end_ms} past the item's audio` },
          });
          return;
        }
        remember(this.truncates, { item_id: event.item_id, audio_end_ms: event.audio_end_ms });
        this.send(conn, { type: 'conversation.item.truncated', event_id: this.id('event'), item_id: event.item_id, content_index: 0, audio_end_ms: event.audio_end_ms });
        return;
      }
      default:
        return;
    }
  }

  private onAudio(conn: Conn, bytes: Uint8Array): void {
    if (!conn.turns) return;
    for (const speech of conn.turns.push(decode(bytes, conn.inputEncoding))) {
      if (speech.type === 'speech_start') {
        const itemId = this.id('item');
        this.send(conn, { type: 'input_audio_buffer.speech_started', event_id: this.id('event'), audio_start_ms: speech.atMs, item_id: itemId });
        if (conn.response && !conn.response.cancelled && conn.session.audio?.input?.turn_detection?.interrupt_response !== false) this.cancel(conn, 'turn_detected');
        conn.next = { kind: 'turn', index: conn.callerIndex };
        conn.callerItem = itemId;
      } else {
        const itemId = conn.callerItem ?? this.id('item');
        const index = conn.callerIndex++;
        this.send(conn, { type: 'input_audio_buffer.speech_stopped', event_id: this.id('event'), audio_end_ms: speech.atMs, item_id: itemId });
        this.send(conn, { type: 'input_audio_buffer.committed', event_id: this.id('event'), item_id: itemId });
        conn.next = { kind: 'turn', index };
        void this.transcribe(conn, itemId, turnAt(this.script, index).caller);
        if (conn.session.audio?.input?.turn_detection?.create_response !== false) void this.respond(conn);
      }
    }
  }

  private async transcribe(conn: Conn, itemId: string, text: string): Promise<void> {
    await sleep(this.options.transcriptDelayMs ?? 30);
    const words = text.split(' ');
    for (const [i, word] of words.entries()) {
      this.send(conn, { type: 'conversation.item.input_audio_transcription.delta', event_id: this.id('event'), item_id: itemId, content_index: 0, delta: (i ? ' ' : '') + word });
    }
    this.send(conn, {
      type: 'conversation.item.input_audio_transcription.completed',
      event_id: this.id('event'),
      item_id: itemId,
      content_index: 0,
      transcript: text,
      usage: { type: 'duration', seconds: 1 },
    });
  }

  private cancel(conn: Conn, reason: 'turn_detected' | 'client_cancelled'): void {
    const response = conn.response;
    if (!response) return;
    response.cancelled = true;
    conn.response = undefined;
    this.send(conn, {
      type: 'response.done',
      event_id: this.id('event'),
      response: { id: response.id, object: 'realtime.response', status: 'cancelled', status_details: { type: 'cancelled', reason }, output: [] },
    });
  }

  private async respond(conn: Conn): Promise<void> {
    if (this.faults.delayMs) await sleep(this.faults.delayMs);
    const next = conn.next;
    const turn = next.kind === 'greeting' ? undefined : turnAt(this.script, next.index);
    if (this.faults.errorEvent) {
      this.send(conn, { type: 'error', event_id: this.id('event'), error: { type: 'server_error', code: 'server_error', message: 'The server had an error.' } });
      return;
    }
    const response = { id: this.id('resp'), itemId: this.id('item'), cancelled: false, audioMs: 0 };
    conn.response = response;
    this.send(conn, { type: 'response.created', event_id: this.id('event'), response: { id: response.id, object: 'realtime.response', status: 'in_progress', output: [] } });
    const say = next.kind === 'greeting' ? this.script.greeting ?? 'Hello.' : next.kind === 'after_tool' ? turn?.afterTool : turn?.agent;
    if (say) await this.speak(conn, response, say);
    if (response.cancelled) return;
    if (next.kind === 'turn' && turn?.tool) {
      const item = { type: 'function_call' as const, id: this.id('item'), call_id: this.id('call'), name: turn.tool.name, arguments: turn.tool.raw ?? JSON.stringify(turn.tool.arguments), status: 'completed' as const, object: 'realtime.item' as const };
      this.send(conn, { type: 'response.output_item.added', event_id: this.id('event'), response_id: response.id, output_index: 1, item: { ...item, arguments: '', status: 'in_progress' } });
      this.send(conn, { type: 'response.function_call_arguments.done', event_id: this.id('event'), response_id: response.id, item_id: item.id, output_index: 1, call_id: item.call_id, name: item.name, arguments: item.arguments });
      this.send(conn, { type: 'response.output_item.done', event_id: this.id('event'), response_id: response.id, output_index: 1, item });
      conn.pendingCall = true;
    }
    conn.response = undefined;
    this.send(conn, { type: 'response.done', event_id: this.id('event'), response: { id: response.id, object: 'realtime.response', status: 'completed', output: [] } });
  }

  private async speak(conn: Conn, response: NonNullable<Conn['response']>, text: string): Promise<void> {
    const output = conn.session.audio?.output?.format?.type ?? 'audio/pcm';
    const encoding: Encoding = output === 'audio/pcmu' ? 'mulaw' : output === 'audio/pcma' ? 'alaw' : 'pcm16';
    const rate = encoding === 'pcm16' ? 24000 : 8000;
    const itemId = response.itemId;
    const base = { event_id: '', response_id: response.id, item_id: itemId, output_index: 0, content_index: 0 };
    this.send(conn, { type: 'response.output_item.added', event_id: this.id('event'), response_id: response.id, output_index: 0, item: { type: 'message', role: 'assistant', id: itemId, content: [], status: 'in_progress' } });
    const chunks = agentAudio(speechMs(text, this.options.msPerChar), encoding, rate);
    const words = text.split(' ');
    for (let i = 0; i < chunks.length; i++) {
      if (response.cancelled || conn.ws.readyState !== conn.ws.OPEN) return;
      // Transcript runs a little ahead of the audio, as it does on the real service.
      const wordsNow = Math.ceil(((i + 1) / chunks.length) * words.length);
      const wordsBefore = Math.ceil((i / chunks.length) * words.length);
      const delta = words.slice(wordsBefore, wordsNow).join(' ');
      if (delta) this.send(conn, { ...base, event_id: this.id('event'), type: 'response.output_audio_transcript.delta', delta: (wordsBefore ? ' ' : '') + delta });
      this.send(conn, { ...base, event_id: this.id('event'), type: 'response.output_audio.delta', delta: Buffer.from(chunks[i]!).toString('base64') });
      response.audioMs += 100;
      conn.audioMsByItem.set(itemId, (conn.audioMsByItem.get(itemId) ?? 0) + (chunks[i]!.length * 1000) / (rate * (encoding === 'pcm16' ? 2 : 1)));
      if (this.faults.closeMidResponse) {
        conn.ws.terminate();
        return;
      }
      await sleep(this.options.realtime ? 100 : 1);
    }
    if (response.cancelled) return;
    this.send(conn, { ...base, event_id: this.id('event'), type: 'response.output_audio.done' });
    this.send(conn, { ...base, event_id: this.id('event'), type: 'response.output_audio_transcript.done', transcript: text });
    this.send(conn, {
      type: 'response.output_item.done',
      event_id: this.id('event'),
      response_id: response.id,
      output_index: 0,
      item: { type: 'message', role: 'assistant', id: itemId, status: 'completed', content: [{ type: 'output_audio', transcript: text }] },
    });
  }
}
