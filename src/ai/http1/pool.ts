/**
 * Kept-alive connections per origin for the cascade's HTTP requests. A connection goes back to its origin's pool
 * after a complete response and is reused last-in first-out; an idle one is closed after `IDLE_MS` (before common
 * servers' own keep-alive timeouts of 5 s and more), or as soon as the server closes it or sends bytes unasked.
 *
 * Each connection listens to its socket once, for its whole life, and hands what comes to whoever uses it now (a
 * request, or the pool while it is idle). Taking a socket from the pool and giving it back is then a field write,
 * not eight listener changes and a timer: this runs on the turn's critical path, too rarely to be optimised.
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const IDLE_MS = 4000;

export interface Origin {
  /** "https://api.openai.com:443": the pool's key. */
  key: string;
  tls: boolean;
  host: string;
  port: number;
}

export function originOf(url: URL): Origin {
  const tls = url.protocol === 'https:';
  if (!tls && url.protocol !== 'http:') throw new Error(`unsupported protocol ${url.protocol}`);
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { key: `${url.protocol}//${host}:${port}`, tls, host, port };
}

/** What a connection's socket reports while a request uses it. */
export interface ConnectionUser {
  data(bytes: Buffer): void;
  /** The server ended the stream or the socket closed. */
  closed(): void;
  failed(error: Error): void;
}

export class Connection {
  readonly socket: Socket;
  readonly origin: Origin;
  /** It came from the pool: the server may have closed it just as it was taken. */
  reused = false;
  private user: ConnectionUser | null = null;
  private parked = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(origin: Origin) {
    this.origin = origin;
    this.socket = origin.tls
      ? tlsConnect({ host: origin.host, port: origin.port, ALPNProtocols: ['http/1.1'], ...(isIP(origin.host) ? {} : { servername: origin.host }) })
      : netConnect({ host: origin.host, port: origin.port });
    this.socket.setNoDelay(true);
    // Bytes or an end while idle: the server closed the connection or is out of step; either way it is done.
    this.socket.on('data', (bytes: Buffer) => (this.user ? this.user.data(bytes) : this.drop()));
    this.socket.on('end', () => (this.user ? this.user.closed() : this.drop()));
    this.socket.on('close', () => (this.user ? this.user.closed() : this.drop()));
    this.socket.on('error', (error: Error) => (this.user ? this.user.failed(error) : this.drop()));
  }

  /** Whoever gets the socket's events from now on (null: nobody; they end the connection). */
  use(user: ConnectionUser | null): void {
    this.user = user;
  }

  get usable(): boolean {
    return !this.socket.destroyed && this.socket.writable;
  }

  /** Back in the pool, idle. */
  park(): void {
    this.user = null;
    this.parked = true;
    if (this.idleTimer) this.idleTimer.refresh();
    else (this.idleTimer = setTimeout(() => this.parked && this.drop(), IDLE_MS)).unref();
    // An idle connection does not keep the process alive.
    this.socket.unref();
  }

  /** Out of the pool, for a request. */
  unpark(): void {
    this.parked = false;
    this.reused = true;
    this.socket.ref();
  }

  /** Closes the connection and forgets it. */
  drop(): void {
    this.user = null;
    if (this.parked) {
      this.parked = false;
      const list = idle.get(this.origin.key);
      const at = list?.indexOf(this) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    }
    clearTimeout(this.idleTimer);
    this.socket.destroy();
  }
}

const idle = new Map<string, Connection[]>();
/** Origins a `preconnect` is opening a connection to. */
const connecting = new Set<string>();

/** An idle connection to the origin, or a new one (writes made while it connects are queued). */
export function acquire(origin: Origin): Connection {
  const list = idle.get(origin.key);
  for (let connection = list?.pop(); connection; connection = list?.pop()) {
    connection.unpark();
    if (connection.usable) return connection;
    connection.drop();
  }
  return new Connection(origin);
}

/** Opens a connection to the origin and parks it, unless one is idle already. */
export function preconnect(origin: Origin): void {
  if ((idle.get(origin.key)?.length ?? 0) > 0 || connecting.has(origin.key)) return;
  connecting.add(origin.key);
  const connection = new Connection(origin);
  const ready = origin.tls ? 'secureConnect' : 'connect';
  const failed = () => connecting.delete(origin.key);
  connection.socket.once('error', failed);
  connection.socket.once(ready, () => {
    connecting.delete(origin.key);
    connection.socket.off('error', failed);
    release(connection);
  });
}

/** Puts a connection whose last response was read whole back in its origin's pool. */
export function release(connection: Connection): void {
  if (!connection.usable) return connection.drop();
  let list = idle.get(connection.origin.key);
  if (!list) idle.set(connection.origin.key, (list = []));
  connection.park();
  list.push(connection);
}
