import { eventsServerMessage, type DomainEvent } from '../../../contracts/events';
import { socketEndpoints } from '../../../contracts/operations';

export type LiveStatus = 'connecting' | 'live' | 'offline';

/** One socket per signed-in console: reconnects with backoff, fans events out to listeners. */
export class LiveEvents {
  status: LiveStatus = 'offline';
  private socket: WebSocket | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private stopped = true;
  private readonly eventListeners = new Set<(event: DomainEvent) => void>();
  private readonly statusListeners = new Set<() => void>();

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const socket = this.socket;
    this.socket = null;
    // Closing a socket that is still connecting makes the browser log an error; close it once it opens instead.
    if (socket?.readyState === WebSocket.CONNECTING) socket.addEventListener('open', () => socket.close(1000, 'stopped'));
    else socket?.close(1000, 'stopped');
    this.setStatus('offline');
  }

  onEvent(listener: (event: DomainEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.statusListeners.forEach((listener) => listener());
  }

  private connect(): void {
    const url = new URL(socketEndpoints.events.path, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.setStatus('connecting');
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('message', (message) => {
      if (this.socket !== socket || typeof message.data !== 'string') return;
      let json: unknown;
      try { json = JSON.parse(message.data); } catch { return; }
      const parsed = eventsServerMessage.safeParse(json);
      if (!parsed.success) return;
      if (parsed.data.type === 'ready') { this.attempts = 0; this.setStatus('live'); }
      if (parsed.data.type === 'event') { const event = parsed.data.event; this.eventListeners.forEach((listener) => listener(event)); }
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setStatus('offline');
      if (this.stopped) return;
      const delay = Math.min(30_000, 1000 * 2 ** this.attempts) * (0.75 + Math.random() / 2);
      this.attempts += 1;
      this.retry = setTimeout(() => { this.retry = null; if (!this.stopped) this.connect(); }, delay);
    });
  }
}
