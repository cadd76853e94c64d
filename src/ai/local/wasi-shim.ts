// A minimal in-memory WASI (preview1) for running flite.wasm as a command.
// Why not node:wasi: on Node 20 its instances abort the whole process when garbage-collected after a few hundred
// runs (uvwasi_fd_table_free → uv_mutex_destroy → abort, measured here), it prints an ExperimentalWarning, and it
// needs a real folder for output. flite only needs 13 calls; files it writes stay in memory.

const ESUCCESS = 0;
const EBADF = 8;
const EINVAL = 28;
const ENOENT = 44;

const FILETYPE_CHARACTER_DEVICE = 2;
const FILETYPE_DIRECTORY = 3;
const FILETYPE_REGULAR_FILE = 4;
const PREOPEN_FD = 3;

class ProcExit {
  constructor(readonly code: number) {}
}

interface OpenFile {
  path: string;
  data: Uint8Array;
  size: number;
  position: number;
}

export interface WasiRun {
  exitCode: number;
  /** Files the program wrote under the preopened folder, by path relative to it. */
  files: Map<string, Uint8Array>;
  stderr: string;
}

interface WasmMemory {
  buffer: ArrayBuffer;
}

/**
 * Run a WASI command module once. `preopen` names the single folder the program may write to (e.g. "/out").
 * `instantiate` builds the instance from the import object (so the caller keeps the compiled module).
 */
export function runWasiCommand(
  instantiate: (imports: object) => { exports: Record<string, unknown> },
  args: readonly string[],
  preopen = '/out',
): WasiRun {
  const encoder = new TextEncoder();
  const argBytes = args.map((a) => encoder.encode(`${a}\0`));
  const preopenBytes = encoder.encode(preopen);
  const files = new Map<string, Uint8Array>();
  const open = new Map<number, OpenFile>();
  let nextFd = PREOPEN_FD + 1;
  let stderr = '';
  const mem: { current?: WasmMemory } = {}; // set right after instantiation, before _start runs

  const view = (): DataView => new DataView((mem.current as WasmMemory).buffer);
  const bytes = (): Uint8Array => new Uint8Array((mem.current as WasmMemory).buffer);

  const wasi = {
    args_sizes_get(argcPtr: number, bufSizePtr: number): number {
      view().setUint32(argcPtr, argBytes.length, true);
      view().setUint32(bufSizePtr, argBytes.reduce((n, a) => n + a.length, 0), true);
      return ESUCCESS;
    },
    args_get(argvPtr: number, bufPtr: number): number {
      let p = bufPtr;
      argBytes.forEach((a, i) => {
        view().setUint32(argvPtr + 4 * i, p, true);
        bytes().set(a, p);
        p += a.length;
      });
      return ESUCCESS;
    },
    clock_time_get(_id: number, _precision: bigint, timePtr: number): number {
      view().setBigUint64(timePtr, BigInt(Date.now()) * 1_000_000n, true);
      return ESUCCESS;
    },
    fd_close(fd: number): number {
      const f = open.get(fd);
      if (!f) return fd <= PREOPEN_FD ? ESUCCESS : EBADF;
      files.set(f.path, f.data.slice(0, f.size));
      open.delete(fd);
      return ESUCCESS;
    },
    fd_fdstat_get(fd: number, ptr: number): number {
      const type =
        fd <= 2 ? FILETYPE_CHARACTER_DEVICE : fd === PREOPEN_FD ? FILETYPE_DIRECTORY : open.has(fd) ? FILETYPE_REGULAR_FILE : -1;
      if (type < 0) return EBADF;
      const v = view();
      v.setUint8(ptr, type);
      v.setUint16(ptr + 2, 0, true);
      v.setBigUint64(ptr + 8, 0xffffffffn, true); // all rights
      v.setBigUint64(ptr + 16, 0xffffffffn, true);
      return ESUCCESS;
    },
    fd_fdstat_set_flags(): number {
      return ESUCCESS;
    },
    fd_prestat_get(fd: number, ptr: number): number {
      if (fd !== PREOPEN_FD) return EBADF;
      view().setUint8(ptr, 0); // preopen type: directory
      view().setUint32(ptr + 4, preopenBytes.length, true);
      return ESUCCESS;
    },
    fd_prestat_dir_name(fd: number, pathPtr: number, len: number): number {
      if (fd !== PREOPEN_FD) return EBADF;
      bytes().set(preopenBytes.subarray(0, len), pathPtr);
      return ESUCCESS;
    },
    fd_read(_fd: number, _iovs: number, _iovsLen: number, nreadPtr: number): number {
      view().setUint32(nreadPtr, 0, true); // nothing to read: flite's voices are built in
      return ESUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      const f = open.get(fd);
      if (!f) return EBADF;
      const base = whence === 0 ? 0 : whence === 1 ? f.position : f.size;
      const pos = base + Number(offset);
      if (pos < 0) return EINVAL;
      f.position = pos;
      view().setBigUint64(newOffsetPtr, BigInt(pos), true);
      return ESUCCESS;
    },
    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
      const v = view();
      const f = open.get(fd);
      if (!f && fd !== 1 && fd !== 2) return EBADF;
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = v.getUint32(iovs + 8 * i, true);
        const len = v.getUint32(iovs + 8 * i + 4, true);
        const chunk = bytes().subarray(ptr, ptr + len);
        if (f) {
          const end = f.position + len;
          if (end > f.data.length) {
            const grown = new Uint8Array(Math.max(end, f.data.length * 2));
            grown.set(f.data.subarray(0, f.size));
            f.data = grown;
          }
          f.data.set(chunk, f.position);
          f.position = end;
          f.size = Math.max(f.size, end);
        } else if (fd === 2 && stderr.length < 4096) {
          stderr += new TextDecoder().decode(chunk);
        }
        written += len;
      }
      v.setUint32(nwrittenPtr, written, true);
      return ESUCCESS;
    },
    path_open(
      dirFd: number,
      _dirFlags: number,
      pathPtr: number,
      pathLen: number,
      _oflags: number,
      _rightsBase: bigint,
      _rightsInheriting: bigint,
      _fdFlags: number,
      fdPtr: number,
    ): number {
      if (dirFd !== PREOPEN_FD) return ENOENT;
      const path = new TextDecoder().decode(bytes().subarray(pathPtr, pathPtr + pathLen));
      const fd = nextFd++;
      open.set(fd, { path, data: new Uint8Array(64 * 1024), size: 0, position: 0 });
      view().setUint32(fdPtr, fd, true);
      return ESUCCESS;
    },
    proc_exit(code: number): never {
      throw new ProcExit(code);
    },
  };

  const instance = instantiate({ wasi_snapshot_preview1: wasi });
  mem.current = instance.exports.memory as WasmMemory;
  let exitCode = 0;
  try {
    (instance.exports._start as () => void)();
  } catch (err) {
    if (!(err instanceof ProcExit)) throw err;
    exitCode = err.code;
  }
  for (const fd of [...open.keys()]) wasi.fd_close(fd); // files left open at exit still count
  return { exitCode, files, stderr };
}
