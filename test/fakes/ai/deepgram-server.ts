/**
 * A fake Deepgram: streaming STT on `/v1/listen` (energy VAD on the audio it gets, SpeechStarted, interim and
 * final Results with the scripted transcript, speech_final after `endpointing` ms of silence, UtteranceEnd,
 * KeepAlive/Finalize/CloseStream, the 10 s idle close) and Aura TTS on `POST /v1/speak` (tone audio streamed in
 * the requested encoding). Messages are typed against `@deepgram/sdk`'s listen types.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { listen } from '@deepgram/sdk';
import type { WebSocket } from 'ws';
import { agentAudio, decode, EnergyTurns, sleep, speechMs, type Encoding } from './audio.js';
import { DEFAULT_SCRIPT, turnAt, type ConversationScript, type Faults } from './script.js';
import { FakeServer, readBody, remember } from './server.js';

export interface FakeDeepgramOptions {
  apiKey?: string;
  script?: ConversationScript;
  /** Close a stream that got neither audio nor KeepAlive for this long (Deepgram: 10 s, NET-0001). */
  idleTimeoutMs?: number;
  /** Aura: pace audio in real time (100 ms chunks every 100 ms). */
  realtime?: boolean;
  msPerChar?: number;
}

interface Stream {
  ws: WebSocket;
  query: URLSearchParams;
  encoding: Encoding;
  turns: EnergyTurns;
  utteranceEndMs: number;
  speechStartMs: number;
  lastInterimMs: number;
  pendingUtteranceEnd: number | undefined;
  callerIndex: number;
  idle: ReturnType<typeof setTimeout> | undefined;
}

export class FakeDeepgram {
  readonly streams: Stream[] = [];
  readonly controls: Array<{ type: string }> = [];
  readonly speakRequests: Array<{ query: URLSearchParams; text: string }> = [];
  faults: Faults = {};
  /** Faults for Aura only (HTTP). */
  speakFaults: Faults = {};
  script: ConversationScript;
  listenUrl = '';
  speakUrl = '';
  private readonly server: FakeServer;
  private readonly options: FakeDeepgramOptions;
  private callerCount = 0;

  constructor(options: FakeDeepgramOptions = {}) {
    this.options = options;
    this.script = options.script ?? DEFAULT_SCRIPT;
    this.server = new FakeServer({
      checkUpgrade: (request) => this.checkUpgrade(request),
      onConnection: (ws, request) => this.onConnection(ws, request),
      onHttp: (request, response) => void this.onSpeak(request, response),
    });
  }

  async start(): Promise<this> {
    const host = await this.server.listen();
    this.listenUrl = `ws://${host}/v1/listen`;
    this.speakUrl = `http://${host}/v1/speak`;
    return this;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  keepAlives(): number {
    return this.controls.filter((c) => c.type === 'KeepAlive').length;
  }

  private authorized(request: IncomingMessage): boolean {
    return request.headers.authorization === `Token ${this.options.apiKey ?? 'test-key'}`;
  }

  private checkUpgrade(request: IncomingMessage): number | undefined {
    if (this.faults.rejectStatus) return this.faults.rejectStatus;
    if (!this.authorized(request)) return 401;
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    if (!query.get('model') || !query.get('encoding') || !query.get('sample_rate')) return 400;
    return undefined;
  }

  private send(stream: Stream, message: listen.ListenV1Results | listen.ListenV1UtteranceEnd | listen.ListenV1SpeechStarted | listen.ListenV1Metadata): void {
    if (stream.ws.readyState !== stream.ws.OPEN) return;
    if (this.faults.malformed) {
      stream.ws.send('not json');
      stream.ws.send(JSON.stringify({ type: 'Results', channel: 'x' }));
      stream.ws.send(Buffer.from([1, 2, 3]));
    }
    stream.ws.send(JSON.stringify(message));
  }

  private onConnection(ws: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    const encoding: Encoding = query.get('encoding') === 'linear16' ? 'pcm16' : (query.get('encoding') as Encoding);
    const stream: Stream = {
      ws,
      query,
      encoding,
      turns: new EnergyTurns(Number(query.get('sample_rate')), Number(query.get('endpointing') ?? 10)),
      utteranceEndMs: Number(query.get('utterance_end_ms') ?? 1000),
      speechStartMs: 0,
      lastInterimMs: 0,
      pendingUtteranceEnd: undefined,
      callerIndex: 0,
      idle: undefined,
    };
    this.streams.push(stream);
    this.touch(stream);
    ws.on('close', () => clearTimeout(stream.idle));
    ws.on('message', (data, isBinary) => {
      if (this.faults.silent) return;
      if (isBinary) return this.onAudio(stream, new Uint8Array(data as Buffer));
      let control: { type: string };
      try {
        control = JSON.parse(String(data)) as { type: string };
      } catch {
        return;
      }
      remember(this.controls, control);
      if (control.type === 'KeepAlive') this.touch(stream);
      else if (control.type === 'Finalize' && stream.turns.speaking) this.final(stream, stream.turns.audioMs, true);
      else if (control.type === 'CloseStream') {
        this.send(stream, { type: 'Metadata', transaction_key: 'deprecated', request_id: 'req-1', sha256: '', created: new Date().toISOString(), duration: stream.turns.audioMs / 1000, channels: 1 });
        ws.close(1000);
      }
    });
  }

  /** Deepgram closes a stream idle for 10 s with 1011 NET-0001. */
  private touch(stream: Stream): void {
    clearTimeout(stream.idle);
    stream.idle = setTimeout(() => stream.ws.close(1011, 'NET-0001'), this.options.idleTimeoutMs ?? 10_000);
  }

  private results(stream: Stream, startMs: number, endMs: number, transcript: string, isFinal: boolean, speechFinal: boolean, fromFinalize = false): listen.ListenV1Results {
    return {
      type: 'Results',
      channel_index: [0, 1],
      start: startMs / 1000,
      duration: (endMs - startMs) / 1000,
      is_final: isFinal,
      speech_final: speechFinal,
      ...(fromFinalize ? { from_finalize: true } : {}),
      channel: { alternatives: [{ transcript, confidence: 0.98, words: transcript.split(' ').filter(Boolean).map((word, i) => ({ word, start: startMs / 1000 + i * 0.2, end: startMs / 1000 + i * 0.2 + 0.18, confidence: 0.98 })) }] },
      metadata: { request_id: 'req-1', model_uuid: 'uuid', model_info: { name: stream.query.get('model') ?? 'nova-3', version: '1', arch: 'nova-3' } },
    };
  }

  private onAudio(stream: Stream, bytes: Uint8Array): void {
    this.touch(stream);
    for (const speech of stream.turns.push(decode(bytes, stream.encoding))) {
      if (speech.type === 'speech_start') {
        stream.speechStartMs = speech.atMs;
        stream.lastInterimMs = speech.atMs;
        stream.pendingUtteranceEnd = undefined;
        if (stream.query.get('vad_events') === 'true') this.send(stream, { type: 'SpeechStarted', channel: [0], timestamp: speech.atMs / 1000 });
      } else {
        this.final(stream, speech.atMs, false);
      }
    }
    const now = stream.turns.audioMs;
    // Interim results while the caller talks, a word more each 200 ms.
    if (stream.turns.speaking && stream.query.get('interim_results') === 'true' && now - stream.lastInterimMs >= 200) {
      stream.lastInterimMs = now;
      const words = turnAt(this.script, this.callerCount).caller.split(' ');
      const count = Math.min(words.length, Math.floor((now - stream.speechStartMs) / 200));
      if (count > 0) this.send(stream, this.results(stream, stream.speechStartMs, now, words.slice(0, count).join(' '), false, false));
    }
    if (stream.pendingUtteranceEnd !== undefined && now - stream.pendingUtteranceEnd >= stream.utteranceEndMs) {
      this.send(stream, { type: 'UtteranceEnd', channel: [0, 1], last_word_end: stream.pendingUtteranceEnd / 1000 });
      stream.pendingUtteranceEnd = undefined;
    }
  }

  private final(stream: Stream, endMs: number, fromFinalize: boolean): void {
    const transcript = turnAt(this.script, this.callerCount++).caller;
    stream.callerIndex++;
    this.send(stream, this.results(stream, stream.speechStartMs, endMs, transcript, true, !fromFinalize, fromFinalize));
    stream.pendingUtteranceEnd = endMs;
  }

  private async onSpeak(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://x');
    if (request.method !== 'POST' || url.pathname !== '/v1/speak') return void response.writeHead(404).end();
    const faults = this.speakFaults;
    if (faults.rejectStatus) return void response.writeHead(faults.rejectStatus, { 'content-type': 'application/json' }).end('{"err_code":"RATE_LIMIT"}');
    if (!this.authorized(request)) return void response.writeHead(401).end();
    const { text } = JSON.parse(await readBody(request)) as { text: string };
    remember(this.speakRequests, { query: url.searchParams, text });
    if (faults.silent) return; // never answers
    if (faults.delayMs) await sleep(faults.delayMs);
    const encoding: Encoding = url.searchParams.get('encoding') === 'linear16' ? 'pcm16' : (url.searchParams.get('encoding') as Encoding);
    const rate = Number(url.searchParams.get('sample_rate') ?? 24000);
    response.writeHead(200, { 'content-type': encoding === 'mulaw' ? 'audio/basic' : 'audio/l16', 'transfer-encoding': 'chunked' });
    for (const chunk of agentAudio(speechMs(text, this.options.msPerChar), encoding, rate)) {
      if (response.destroyed) return;
      response.write(chunk);
      if (faults.closeMidResponse) return void sleep(30).then(() => response.destroy());
      await sleep(this.options.realtime ? 100 : 1);
    }
    response.end();
  }
}
