/**
 * HTTP for streaming providers (chat completions, speech): POST JSON with a deadline for the answer's head, the
 * body as chunks. Built on a small HTTP/1.1 client (./http1) with kept-alive sockets: a cascade makes one request
 * per caller turn and one per spoken sentence on the media hot path, where node:http and undici cost several
 * times more per request (docs/benchmarks.md, bench:turn).
 */
import { AiError, errorFromStatus } from './errors.js';
import { preconnect } from './http1/pool.js';
import { httpTarget, send, type HttpExchange, type HttpTarget } from './http1/request.js';

/** A 2xx answer whose head arrived; `chunks` streams the body. */
export interface StreamingResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** The body's bytes as they arrive; a body that breaks off rejects with `connection_lost`, an abort ends it. */
  chunks: AsyncIterable<Uint8Array>;
}

/**
 * A JSON API endpoint: URL and headers prepared once, each `post` adding only its body. Resolves once the head
 * arrives with a 2xx, else rejects with an `AiError`.
 */
export class JsonEndpoint {
  private readonly provider: string;
  private readonly target: HttpTarget;

  constructor(provider: string, url: string, headers: Record<string, string>) {
    this.provider = provider;
    this.target = httpTarget('POST', new URL(url), { 'Content-Type': 'application/json', ...headers });
  }

  /** `json`: the body, already serialised. The request is on the wire when this returns. */
  post(json: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<StreamingResponse> {
    return new Promise((resolve, reject) => {
      options.signal?.throwIfAborted();
      attempt(this.provider, this.target, json, options, true, resolve, reject);
    });
  }

  /** Opens a connection now when none is idle, so that the next request pays no connect (nor TLS handshake). */
  warm(): void {
    preconnect(this.target.origin);
  }
}

function attempt(provider: string, target: HttpTarget, json: string, options: { signal?: AbortSignal; timeoutMs?: number }, mayRetry: boolean, resolve: (r: StreamingResponse) => void, reject: (e: unknown) => void): void {
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let body: BodyQueue | undefined;
  let refused: { status: number; detail: string } | undefined;
  const refusal = (r: { status: number; detail: string }) => errorFromStatus(provider, r.status, r.detail.slice(0, 200));
  let settled = false;
  const settle = () => {
    settled = true;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
  const exchange: HttpExchange = send(target, json, {
    head: ({ status, headers }) => {
      if (status >= 200 && status < 300) {
        settle();
        body = new BodyQueue(provider, exchange, signal);
        resolve({ status, headers, chunks: body });
      } else {
        refused = { status, detail: '' };
      }
    },
    data: (chunk) => {
      if (body) return body.push(chunk);
      if (refused && refused.detail.length < 200) refused.detail += Buffer.from(chunk).toString('utf8');
    },
    end: () => {
      if (body) return body.end();
      if (refused && !settled) {
        settle();
        reject(refusal(refused));
      }
    },
    fail: (error, stale) => {
      if (body) return body.fail(error);
      if (settled) return;
      settle();
      if (refused) return reject(refusal(refused));
      if (signal?.aborted) return reject(signal.reason);
      // A kept-alive socket the server closed just as we reused it: send once more on a fresh one.
      if (stale && mayRetry) return attempt(provider, target, json, options, false, resolve, reject);
      reject(new AiError(provider, 'connect_failed', error.message));
    },
  });
  const timer = setTimeout(() => {
    if (settled) return;
    settle();
    exchange.abort();
    reject(new AiError(provider, 'timeout', `no answer within ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = () => {
    if (settled) return;
    settle();
    exchange.abort();
    reject(signal!.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
}

/**
 * The body's chunks for one reader. The reader stopping early (`return`) drops the connection on barge-in (the
 * signal aborted); otherwise (a chat stream read up to `[DONE]`, whose terminating chunk follows) the rest drains
 * so the socket goes back to the pool for the next turn, unless it takes longer than a second.
 */
class BodyQueue implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private ended = false;
  private error: AiError | undefined;
  private waiting: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;
  private readonly provider: string;
  private readonly exchange: HttpExchange;
  private readonly signal: AbortSignal | undefined;

  constructor(provider: string, exchange: HttpExchange, signal: AbortSignal | undefined) {
    this.provider = provider;
    this.exchange = exchange;
    this.signal = signal;
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.ended) return;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting.resolve({ value: chunk, done: false });
    else this.queue.push(chunk);
  }

  end(): void {
    this.finish();
  }

  fail(error: Error): void {
    if (this.ended) return;
    if (!this.signal?.aborted) this.error = new AiError(this.provider, 'connection_lost', `stream broke off: ${error.message}`);
    this.finish();
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const chunk = this.queue.shift();
    if (chunk) return Promise.resolve({ value: chunk, done: false });
    if (this.error) return Promise.reject(this.error);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    if (!this.ended) {
      if (this.signal?.aborted) this.exchange.abort();
      else this.exchange.drain(1000);
      this.finish();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  private readonly onAbort = () => {
    this.exchange.abort();
    this.finish();
  };

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if (this.error) waiting.reject(this.error);
    else waiting.resolve({ value: undefined, done: true });
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
