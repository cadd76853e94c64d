/** A loopback HTTP + WebSocket server for fakes: upgrade checks (auth, injected refusals) and clean shutdown. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeServerHandlers {
  /** Status to refuse the upgrade with, or undefined to accept. */
  checkUpgrade(request: IncomingMessage): number | undefined;
  onConnection(ws: WebSocket, request: IncomingMessage): void;
  onHttp?(request: IncomingMessage, response: ServerResponse): void;
  /** Answer no pings (a half-open socket). */
  ignorePings?(): boolean;
  /** Hold each accepted upgrade this long (a provider slow to shake hands: probes see the latency). */
  handshakeDelayMs?(): number;
}

/** What a fake keeps of what it was sent, for tests to inspect: the newest this many (benchmarks run fakes for long). */
const KEPT = 10_000;

/** Appends to a fake's record, dropping the oldest entries in batches once it passes `KEPT`. */
export function remember<T>(record: T[], item: T): void {
  record.push(item);
  if (record.length > KEPT * 1.5) record.splice(0, record.length - KEPT);
}

export class FakeServer {
  readonly http: Server;
  // Pongs by hand, so a fake can play a half-open socket (no pongs) for the keep-alive deadline.
  readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly sockets = new Set<Duplex>();

  constructor(handlers: FakeServerHandlers) {
    this.http = createServer((request, response) => {
      if (handlers.onHttp) handlers.onHttp(request, response);
      else response.writeHead(404).end();
    });
    this.http.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.http.on('upgrade', (request, socket, head) => {
      const status = handlers.checkUpgrade(request);
      if (status !== undefined) {
        socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":"refused"}`);
        return;
      }
      const accept = () => this.wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('ping', (data) => { if (!handlers.ignorePings?.()) ws.pong(data); });
        handlers.onConnection(ws, request);
      });
      const delay = handlers.handshakeDelayMs?.() ?? 0;
      if (delay > 0) setTimeout(() => { if (!socket.destroyed) accept(); }, delay);
      else accept();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
