/**
 * HTTP helpers for streaming providers (chat completions, speech): POST with a deadline for the headers, the body
 * as chunks. Built on `node:http(s)` with keep-alive agents rather than `fetch`: a cascade makes one request per
 * caller turn and one per spoken sentence on the media hot path, and undici's fetch costs ~2 ms a request on
 * loopback (p99 tens of ms on a busy box) where a reused `http` socket costs a fraction of that.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AiError, errorFromStatus } from './errors.js';

export interface PostOptions {
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
  /** Deadline for the response headers (default 15 s); the body then streams without one. */
  timeoutMs?: number;
}

/** A 2xx answer whose headers arrived; `body` streams the rest. */
export interface StreamingResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

// One pool per process: sockets stay open between a call's requests (and calls), so a turn pays no connect.
const httpAgent = new HttpAgent({ keepAlive: true, scheduling: 'lifo' });
const httpsAgent = new HttpsAgent({ keepAlive: true, scheduling: 'lifo' });

/** POSTs JSON; resolves once the headers arrive with a 2xx, else rejects with an `AiError`. */
export async function postJson(provider: string, url: string, options: PostOptions): Promise<StreamingResponse> {
  const payload = Buffer.from(JSON.stringify(options.body));
  try {
    return await attempt(provider, new URL(url), payload, options);
  } catch (error) {
    // A kept-alive socket the server closed just as we reused it: nothing reached the server, send once more.
    if (error instanceof StaleSocket) return attempt(provider, new URL(url), payload, options);
    throw error;
  }
}

class StaleSocket extends Error {}

function attempt(provider: string, url: URL, payload: Buffer, options: PostOptions): Promise<StreamingResponse> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const https = url.protocol === 'https:';
    const request = (https ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      agent: https ? httpsAgent : httpAgent,
      headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...options.headers },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let answered = false;
    const timer = setTimeout(() => request.destroy(new AiError(provider, 'timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (answered) return; // the body's reader sees it
      if (options.signal?.aborted || error instanceof AiError) return reject(error);
      if (request.reusedSocket && error.code === 'ECONNRESET') return reject(new StaleSocket(error.message));
      reject(new AiError(provider, 'connect_failed', error.message));
    });
    request.on('response', (response) => {
      answered = true;
      clearTimeout(timer);
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve({ status, headers: response.headers, body: response });
      let detail = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { if (detail.length < 200) detail += chunk; });
      const refuse = () => reject(errorFromStatus(provider, status, detail.slice(0, 200)));
      response.on('end', refuse);
      response.on('error', refuse);
    });
    request.end(payload);
  });
}

/** The response body as byte chunks; a body that breaks off mid-stream rejects with `connection_lost`. */
export async function* bodyChunks(provider: string, response: StreamingResponse, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const body = response.body;
  let ended = false;
  try {
    // Rejects when the socket breaks off (or the signal destroyed the request); stopping early leaves it open.
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      if (chunk.length > 0) yield chunk;
    }
    ended = true;
  } catch (error) {
    if (signal?.aborted) return;
    throw new AiError(provider, 'connection_lost', `stream broke off: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (!ended) release(body, signal);
  }
}

/**
 * The reader stopped before the body's end. Barge-in: drop the connection. Otherwise (a chat stream read up to
 * `[DONE]`, whose terminating chunk follows) let the rest drain so the socket goes back to the pool for the next
 * turn, unless it takes longer than a second.
 */
function release(body: IncomingMessage, signal: AbortSignal | undefined): void {
  if (body.readableEnded) return;
  if (signal?.aborted || body.destroyed) return void body.destroy();
  const timer = setTimeout(() => body.destroy(), 1000);
  timer.unref();
  body.once('end', () => clearTimeout(timer));
  body.once('close', () => clearTimeout(timer));
  body.on('error', () => undefined);
  body.resume();
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
