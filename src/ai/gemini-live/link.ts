/**
 * One Gemini Live socket: connect, send `setup`, wait for `setupComplete`. A session holds one at a time and
 * opens a second to resume (same conversation, by resumption handle) when the server says `goAway`.
 */
import type WebSocket from 'ws';
import { deferred, withTimeout } from '../deferred.js';
import { AiError } from '../errors.js';
import { connectWebSocket, sendJson } from '../ws-connect.js';
import type { GeminiClientMessage, GeminiSetup } from './wire.js';

const PROVIDER = 'gemini-live';

export interface LinkHandlers {
  onMessage(link: GeminiLink, data: WebSocket.RawData): void;
  onClose(link: GeminiLink, code: number, reason: string): void;
}

export class GeminiLink {
  private ws: WebSocket | undefined;
  private readonly ready = deferred<void>();

  /** Opens the socket and completes the setup handshake; rejects with an `AiError` (and leaves nothing open). */
  static async open(url: string, setup: GeminiSetup, handlers: LinkHandlers, timeouts: { connectMs?: number; readyMs: number; pingMs?: number }): Promise<GeminiLink> {
    const link = new GeminiLink();
    link.ws = await connectWebSocket(PROVIDER, url, { timeoutMs: timeouts.connectMs, pingMs: timeouts.pingMs, onMessage: (data) => handlers.onMessage(link, data) });
    link.ws.on('close', (code, reason) => {
      link.ready.reject(new AiError(PROVIDER, 'connection_lost', `socket closed (${code}) during setup`));
      handlers.onClose(link, code, String(reason));
    });
    link.ws.on('error', () => undefined);
    link.send({ setup });
    try {
      await withTimeout(link.ready.promise, timeouts.readyMs, () => new AiError(PROVIDER, 'timeout', `no setupComplete within ${timeouts.readyMs} ms`));
    } catch (error) {
      link.terminate();
      throw error;
    }
    return link;
  }

  /** The server answered `setupComplete`. */
  markReady(): void {
    this.ready.resolve();
  }

  send(message: GeminiClientMessage): void {
    sendJson(this.ws, message);
  }

  terminate(): void {
    this.ws?.terminate();
  }

  async close(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState !== ws.OPEN) return;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.close(1000, 'client closed');
    await withTimeout(closed, 1000, () => new Error('close timeout')).catch(() => ws.terminate());
  }
}
