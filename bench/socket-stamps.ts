/**
 * bench:turn's socket stamps: every TCP write and every read of one thread, with its time on the monotonic clock
 * all threads of the process share and the port of the other end (platform thread: the provider's port, its sockets
 * being clients) or of this end (fakes' worker: its own server ports). With the platform's stamps and the fakes'
 * side by side, a turn splits exactly into what the platform did, what the wire took and what the provider did.
 *
 * Hooks sit on `net.Socket`'s Writable implementation (`_write`, `_writev`: where bytes go to the kernel, after any
 * cork) and on its `data` event (where bytes come out of the kernel, before ws or the HTTP parser see them), so
 * both sides' stamps bracket their own parsing and serialising. A write is stamped as it goes to the kernel (stamped
 * after the syscall, the reader, woken by it, may run first: the send is wire time), a read as it comes out.
 */
import { openSync, readSync } from 'node:fs';
import { Socket } from 'node:net';

/** Milliseconds on the monotonic clock every thread of the process shares. */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export interface SocketStamp {
  at: number;
  port: number;
  /** This thread's run-queue wait so far (`threadWaitMs`), on the platform's side. */
  wait?: number;
}
export interface SocketStamps { writes: SocketStamp[]; reads: SocketStamp[] }

type WriteFn = (this: Socket, ...args: unknown[]) => unknown;

/**
 * How long this thread has waited, runnable, for a CPU (ms since it started), from the kernel's per-thread
 * schedstat (Linux: on-CPU ns, run-queue wait ns, time slices): time the OS gave the CPU to other threads (the
 * fakes' worker, V8's helpers, other tenants of a shared box) while this one had work. Undefined elsewhere.
 * The file is opened once and re-read in place: one syscall, a few µs.
 */
export const threadWaitMs: () => number | undefined = (() => {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return () => undefined;
  }
  const buffer = Buffer.alloc(96);
  return () => {
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return Number(buffer.toString('latin1', 0, n).split(' ')[1]) / 1e6;
  };
})();

/**
 * Installs the hooks in this thread; `take()` returns what was stamped since the last take. `withWait`: each stamp
 * also holds the thread's run-queue wait (only on the platform's thread, where `threadWaitMs` was first called).
 */
export function stampSockets(side: 'remote' | 'local', withWait = false): { take(): SocketStamps } {
  let stamps: SocketStamps = { writes: [], reads: [] };
  const port = (socket: Socket) => (side === 'remote' ? socket.remotePort : socket.localPort) ?? 0;
  const stamp = (socket: Socket): SocketStamp => (withWait ? { at: monoMs(), port: port(socket), wait: threadWaitMs() } : { at: monoMs(), port: port(socket) });
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', WriteFn>;
  for (const method of ['_write', '_writev'] as const) {
    const original = proto[method];
    proto[method] = function (this: Socket, ...args: unknown[]) {
      stamps.writes.push(stamp(this));
      return original.apply(this, args);
    };
  }
  const emit = Socket.prototype.emit as (this: Socket, event: string | symbol, ...args: unknown[]) => boolean;
  Socket.prototype.emit = function (this: Socket, event: string | symbol, ...args: unknown[]) {
    if (event === 'data') stamps.reads.push(stamp(this));
    return emit.call(this, event, ...args);
  } as typeof Socket.prototype.emit;
  return {
    take() {
      const taken = stamps;
      stamps = { writes: [], reads: [] };
      return taken;
    },
  };
}

/** The first stamp on `port` at or after `at`. */
export function firstAfter(stamps: readonly SocketStamp[], port: number, at: number): SocketStamp | null {
  for (const s of stamps) if (s.port === port && s.at >= at) return s;
  return null;
}

/** The last stamp on `port` at or before `at`. */
export function lastBefore(stamps: readonly SocketStamp[], port: number, at: number): SocketStamp | null {
  let found: SocketStamp | null = null;
  for (const s of stamps) if (s.port === port && s.at <= at) found = s;
  return found;
}
