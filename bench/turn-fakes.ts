/**
 * bench:turn's fake providers, run in a worker thread: a real provider is another machine, so the fakes' own
 * work (their VAD, JSON, base64, timers, garbage) must not run on the platform's event loop and be counted as
 * platform time. The worker timestamps, on the monotonic clock all threads share (`hrtime`), when the caller frame
 * that ended the turn reached the fake and when the fake's VAD called the turn over, when the model request began,
 * and when the first playable answer left; and it stamps every read and write of the fakes' sockets
 * (socket-stamps.ts), which bench:turn lines up with the platform's to split each turn into platform, wire and
 * provider time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { ProviderConfig } from '../src/ai/agents/provider.js';
import { FakeDeepgram } from '../test/fakes/ai/deepgram-server.js';
import { FakeGeminiLive } from '../test/fakes/ai/gemini-live-server.js';
import { FakeOpenAiCompatible } from '../test/fakes/ai/openai-compatible-server.js';
import { FakeOpenAiRealtime } from '../test/fakes/ai/openai-realtime-server.js';
import type { ConversationScript } from '../test/fakes/ai/script.js';
import { monoMs, stampSockets, type SocketStamps } from './socket-stamps.js';

export type FakeKind = 'openai' | 'gemini' | 'cascade';
export interface FakeWorkerData { kind: FakeKind; latencyMs: number; silenceMs: number }
/** One caller turn as the fake saw it (ms on the shared monotonic clock; null when it did not happen). */
export interface FakeMarks {
  /** The caller frame whose handling made the fake's VAD call the turn over reached the fake (its 'message' event). */
  frameAt: number | null;
  /** The fake's VAD (cascade: Deepgram's endpointing) called the caller's turn over. */
  turnOverAt: number | null;
  /** The model began working on the answer (realtime: at the turn over; cascade: the chat request arrived). */
  requestAt: number | null;
  /** The first output the platform can play or speak left the fake (audio; cascade: the first text delta). */
  answerAt: number | null;
  /** Cascade: the first speech request of the answer arrived at the fake TTS, and its first audio left. */
  ttsRequestAt: number | null;
  ttsAnswerAt: number | null;
}
/** The fakes' server ports: caller audio in (realtime: also the answer out), and the cascade's chat and speech. */
export interface FakePorts { audio: number; chat?: number; speak?: number }
export type FakeReply = { type: 'ready'; config: ProviderConfig; ports: FakePorts } | { type: 'marks'; marks: FakeMarks; stamps: SocketStamps } | { type: 'closed' };
export type FakeRequest = { type: 'reset' } | { type: 'marks' } | { type: 'close' };

// Every socket in this worker is a fake's (server side), stamped by its own port.
const sockets = stampSockets('local');

const KEY = 'bench-key';
const SCRIPT: ConversationScript = { turns: [{ caller: 'Hello there', agent: 'Hi! How can I help you today?' }] };

const NO_MARKS: FakeMarks = { frameAt: null, turnOverAt: null, requestAt: null, answerAt: null, ttsRequestAt: null, ttsAnswerAt: null };
let marks: FakeMarks = { ...NO_MARKS };

// When the message being handled reached the fake: every socket in this worker is a fake's, and each fake's VAD
// runs synchronously in the handler of the frame that ends the turn.
let messageAt = 0;
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
  if (event === 'message') messageAt = monoMs();
  return emit.call(this, event, ...args);
} as typeof emit;

/** The fake's VAD called the turn over now, deciding on the message that arrived at `messageAt`. */
function turnOver(): number {
  const at = monoMs();
  marks.frameAt ??= messageAt;
  marks.turnOverAt ??= at;
  return at;
}

/** Wraps a fake's (private) method to run `before` with its arguments first. */
function around(fake: object, method: string, before: (...args: unknown[]) => void): void {
  const target = fake as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method]!.bind(fake);
  target[method] = (...args: unknown[]) => { before(...args); return original(...args); };
}

const portOf = (url: string) => Number(new URL(url).port);

async function start(data: FakeWorkerData): Promise<{ config: ProviderConfig; ports: FakePorts; close(): Promise<void> }> {
  if (data.kind === 'openai') {
    const f = await new FakeOpenAiRealtime({ apiKey: KEY, script: SCRIPT }).start();
    around(f, 'respond', () => { const at = turnOver(); marks.requestAt ??= at; });
    around(f, 'send', (_conn, event) => { if ((event as { type: string }).type === 'response.output_audio.delta' && marks.requestAt !== null) marks.answerAt ??= monoMs(); });
    f.faults.delayMs = data.latencyMs;
    return { config: { kind: 'openai', url: f.url, key: KEY }, ports: { audio: portOf(f.url) }, close: () => f.close() };
  }
  if (data.kind === 'gemini') {
    const f = await new FakeGeminiLive({ apiKey: KEY, script: SCRIPT, silenceMs: data.silenceMs }).start();
    around(f, 'answer', () => { const at = turnOver(); marks.requestAt ??= at; });
    around(f, 'send', (_conn, message) => { if ((message as { serverContent?: { modelTurn?: unknown } }).serverContent?.modelTurn && marks.requestAt !== null) marks.answerAt ??= monoMs(); });
    f.faults.delayMs = data.latencyMs;
    return { config: { kind: 'gemini', url: f.url, key: KEY }, ports: { audio: portOf(f.url) }, close: () => f.close() };
  }
  // Listen and speak from two fake Deepgrams, so that each has its own port in the socket stamps.
  const dg = await new FakeDeepgram({ apiKey: KEY, script: SCRIPT }).start();
  const aura = await new FakeDeepgram({ apiKey: KEY, script: SCRIPT }).start();
  around(dg, 'final', () => void turnOver()); // the final result with speech_final
  around(aura, 'onSpeak', (request) => { if ((request as IncomingMessage).url?.startsWith('/v1/speak') && marks.answerAt !== null) marks.ttsRequestAt ??= monoMs(); });
  // The fake Aura's first audio write (this worker serves nothing else over HTTP from /v1/speak).
  const write = ServerResponse.prototype.write;
  ServerResponse.prototype.write = function (this: ServerResponse, ...args: unknown[]) {
    if (this.req.url?.startsWith('/v1/speak') && marks.ttsRequestAt !== null) marks.ttsAnswerAt ??= monoMs();
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof write;
  const chat = await new FakeOpenAiCompatible({ apiKey: KEY, script: SCRIPT }).start();
  around(chat, 'onHttp', (request) => { if ((request as IncomingMessage).url?.includes('/chat/completions') && marks.turnOverAt !== null) marks.requestAt ??= monoMs(); });
  around(chat, 'chunk', (_id, _model, delta) => { if ((delta as { content?: string }).content && marks.requestAt !== null) marks.answerAt ??= monoMs(); });
  chat.faults.delayMs = data.latencyMs; // the model latency sits in the chat completion; STT and TTS answer at once
  return {
    config: { kind: 'cascade', url: chat.baseUrl, key: KEY, deepgram: { key: KEY, listenUrl: dg.listenUrl, speakUrl: aura.speakUrl } },
    ports: { audio: portOf(dg.listenUrl), chat: portOf(chat.baseUrl), speak: portOf(aura.speakUrl) },
    close: async () => { await dg.close(); await aura.close(); await chat.close(); },
  };
}

const port = parentPort!;
const fake = await start(workerData as FakeWorkerData);
const reply = (message: FakeReply) => port.postMessage(message);
port.on('message', (request: FakeRequest) => {
  if (request.type === 'reset') { marks = { ...NO_MARKS }; sockets.take(); }
  else if (request.type === 'marks') reply({ type: 'marks', marks, stamps: sockets.take() });
  else void fake.close().then(() => reply({ type: 'closed' }));
});
reply({ type: 'ready', config: fake.config, ports: fake.ports });
