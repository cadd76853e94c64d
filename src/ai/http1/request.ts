/**
 * One HTTP/1.1 request on a pooled socket, the answer's body streamed as it arrives. Made for the cascade's turn
 * path (a chat completion per caller turn, a speech request per sentence): the request goes to the kernel in one
 * write before `send` returns (node:http waits for the next tick and costs ~0.45 ms a request when, as here, its
 * code runs too rarely to be optimised; undici ~0.27 ms; this ~0.07 ms: docs/benchmarks.md), and body bytes reach
 * the reader without a stream in between.
 */
import { acquire, originOf, release, type Origin } from './pool.js';
import { HttpParseError, ResponseParser, type ResponseHead } from './response-parser.js';

/**
 * Where requests go: the method, URL and fixed headers turned into the request's first lines once, so a request
 * only adds its body (a cascade prepares its chat endpoint per session and its speech endpoints per voice).
 */
export interface HttpTarget {
  readonly origin: Origin;
  /** The request line and headers up to, not including, Content-Length and the blank line. */
  readonly head: string;
}

export function httpTarget(method: 'POST' | 'GET', url: URL, headers: Record<string, string>): HttpTarget {
  const origin = originOf(url);
  const defaultPort = origin.tls ? 443 : 80;
  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.hostname}${origin.port === defaultPort ? '' : `:${origin.port}`}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    // A header value from configuration (an API key) must not be able to add lines to the request.
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new Error(`header ${JSON.stringify(name)} holds a line break`);
    head += `${name}: ${value}\r\n`;
  }
  return { origin, head };
}

/** What happens to a request, in order: `head` once, then `data`* and `end`, or `fail` at any point. */
export interface HttpHandler {
  head(head: ResponseHead): void;
  data(chunk: Uint8Array): void;
  end(): void;
  /** `stale`: a reused socket broke before any answer byte (the server closed it as the request went out). */
  fail(error: Error, stale: boolean): void;
}

/** A request in flight. */
export interface HttpExchange {
  /** Drops the connection (the request is abandoned). */
  abort(): void;
  /** Lets the rest of the answer arrive unread, so that the socket can carry the next request; drops it after `maxMs`. */
  drain(maxMs: number): void;
}

/** Sends a request to `target` with `body` (none: a GET), written to the socket before this returns. */
export function send(target: HttpTarget, body: string | undefined, handler: HttpHandler): HttpExchange {
  const connection = acquire(target.origin);
  const { socket, reused } = connection;
  let answered = false;
  let finished = false;
  let reusable = true;
  let draining: NodeJS.Timeout | undefined;
  let sink: Pick<HttpHandler, 'data' | 'end'> = handler;
  const parser = new ResponseParser({
    head: (h) => {
      answered = true;
      if (!h.keepAlive) reusable = false;
      handler.head(h);
    },
    data: (chunk) => sink.data(chunk),
    end: () => {
      finished = true;
      clearTimeout(draining);
      if (reusable) release(connection);
      else connection.drop();
      sink.end();
    },
  });
  const fail = (error: Error) => {
    if (finished) return;
    finished = true;
    clearTimeout(draining);
    connection.drop();
    handler.fail(error, reused && !answered);
  };
  connection.use({
    data: (bytes) => {
      try {
        parser.push(bytes);
      } catch (error) {
        // Bytes after a complete answer: the connection is out of step, it must not carry another request.
        if (finished) return connection.drop();
        fail(error instanceof HttpParseError ? error : new Error(String(error)));
      }
    },
    closed: () => {
      if (finished) return;
      if (parser.close()) return;
      fail(new Error(answered ? 'connection closed mid-answer' : 'connection closed before an answer'));
    },
    failed: fail,
  });
  socket.write(body === undefined ? `${target.head}\r\n` : `${target.head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  return {
    abort: () => {
      if (finished) return;
      finished = true;
      clearTimeout(draining);
      connection.drop();
    },
    drain: (maxMs) => {
      if (finished) return;
      sink = { data: () => undefined, end: () => undefined };
      draining = setTimeout(() => fail(new Error('drain timed out')), maxMs);
      draining.unref();
    },
  };
}

export type { ResponseHead };
