/**
 * Opening a provider WebSocket: resolves once open, or rejects with an `AiError` saying why (refused upgrade
 * with its HTTP status, network failure, or no answer within the deadline).
 */
import WebSocket from 'ws';
import { AiError, errorFromStatus } from './errors.js';

export interface ConnectOptions {
  headers?: Record<string, string>;
  /** Attached before the upgrade completes: a server may speak in the same packet as its upgrade answer. */
  onMessage?: (data: WebSocket.RawData, isBinary: boolean) => void;
  /** Deadline for the upgrade (default 10 s). */
  timeoutMs?: number;
  /** Ping period once open; no pong before the next ping drops the socket (its 'close' follows). 0/unset = off. */
  pingMs?: number;
}

export function connectWebSocket(provider: string, url: string, options: ConnectOptions = {}): Promise<WebSocket> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: options.headers ?? {}, handshakeTimeout: timeoutMs });
    if (options.onMessage) ws.on('message', options.onMessage);
    const fail = (error: AiError): void => {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new AiError(provider, 'timeout', `no WebSocket upgrade within ${timeoutMs} ms`)), timeoutMs);
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 500) body += chunk;
      });
      response.on('end', () => fail(errorFromStatus(provider, response.statusCode ?? 0, body.slice(0, 200))));
      response.on('error', () => fail(errorFromStatus(provider, response.statusCode ?? 0)));
    });
    ws.once('error', (error) => fail(new AiError(provider, 'connect_failed', error.message)));
    ws.once('open', () => {
      clearTimeout(timer);
      ws.removeAllListeners('unexpected-response');
      ws.removeAllListeners('error');
      if (options.pingMs && options.pingMs > 0) heartbeat(ws, options.pingMs);
      resolve(ws);
    });
  });
}

/** Sends JSON if the socket is open; returns whether it was sent. */
export function sendJson(ws: WebSocket | undefined, message: unknown): boolean {
  if (!ws || ws.readyState !== WebSocket.OPEN) return false;
  ws.send(JSON.stringify(message));
  return true;
}

/** Pings every `pingMs`; a socket that did not pong since the last ping is dead (half-open TCP) and dropped. */
function heartbeat(ws: WebSocket, pingMs: number): void {
  let answered = true;
  ws.on('pong', () => (answered = true));
  const timer = setInterval(() => {
    if (!answered) {
      clearInterval(timer);
      ws.terminate();
      return;
    }
    answered = false;
    if (ws.readyState === WebSocket.OPEN) ws.ping();
  }, pingMs);
  timer.unref?.();
  ws.once('close', () => clearInterval(timer));
}
