/**
 * Kept-alive sockets per origin for the cascade's HTTP requests. A socket goes back to its origin's pool after a
 * complete response and is reused last-in first-out; an idle socket is closed after `IDLE_MS` (before common
 * servers' own keep-alive timeouts of 5 s and more), or as soon as the server closes it.
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
  // URL keeps an IPv6 literal in brackets; sockets want it bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { key: `${url.protocol}//${host}:${port}`, tls, host, port };
}

export interface PooledSocket {
  socket: Socket;
  /** It carried an earlier request: a server may have closed it just now. */
  reused: boolean;
}

const idle = new Map<string, Socket[]>();
/** Origins a `preconnect` is opening a socket to. */
const connecting = new Set<string>();
const idleTimers = new WeakMap<Socket, { timer: NodeJS.Timeout; forget: () => void }>();

/** An idle socket of the origin, or a new connection (writes made while it connects are queued). */
export function acquire(origin: Origin): PooledSocket {
  const sockets = idle.get(origin.key);
  for (let socket = sockets?.pop(); socket; socket = sockets?.pop()) {
    unpark(socket);
    if (!socket.destroyed && socket.writable) return { socket, reused: true };
  }
  const socket = origin.tls
    ? tlsConnect({ host: origin.host, port: origin.port, ALPNProtocols: ['http/1.1'], ...(isIP(origin.host) ? {} : { servername: origin.host }) })
    : netConnect({ host: origin.host, port: origin.port });
  socket.setNoDelay(true);
  return { socket, reused: false };
}

/** Opens a connection to the origin and parks it, unless one is idle already. */
export function preconnect(origin: Origin): void {
  if ((idle.get(origin.key)?.length ?? 0) > 0 || connecting.has(origin.key)) return;
  connecting.add(origin.key);
  const { socket } = acquire(origin);
  const ready = origin.tls ? 'secureConnect' : 'connect';
  const failed = () => {
    connecting.delete(origin.key);
    socket.destroy();
  };
  socket.once('error', failed);
  socket.once(ready, () => {
    connecting.delete(origin.key);
    socket.off('error', failed);
    release(origin, socket);
  });
}

/** Puts a socket whose last response was read whole back in its origin's pool. */
export function release(origin: Origin, socket: Socket): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  let sockets = idle.get(origin.key);
  if (!sockets) idle.set(origin.key, (sockets = []));
  const list = sockets;
  const forget = () => {
    unpark(socket);
    const at = list.indexOf(socket);
    if (at >= 0) list.splice(at, 1);
    socket.destroy();
  };
  // A parked socket reads nothing: bytes, an end or an error from the server mean it is no longer usable.
  socket.once('data', forget);
  socket.once('end', forget);
  socket.once('close', forget);
  socket.once('error', forget);
  const timer = setTimeout(forget, IDLE_MS);
  timer.unref();
  idleTimers.set(socket, { timer, forget });
  socket.unref();
  list.push(socket);
}

function unpark(socket: Socket): void {
  const parked = idleTimers.get(socket);
  if (!parked) return;
  idleTimers.delete(socket);
  clearTimeout(parked.timer);
  socket.off('data', parked.forget);
  socket.off('end', parked.forget);
  socket.off('close', parked.forget);
  socket.off('error', parked.forget);
  socket.ref();
}
