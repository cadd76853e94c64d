import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/switchboard.js', import.meta.url));

export interface RunningServer {
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code once the process drained and stopped. */
  stop(): Promise<number | null>;
}

/** Starts `switchboard start` as a real process and resolves once it logged that it is ready. */
export function startProcess(env: Record<string, string>, timeoutMs = 60_000, nodeArgs: string[] = []): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'start', '--skip-console-build'], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`not ready in ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('switchboard is ready')) {
        clearTimeout(timer);
        resolve({
          child,
          output: () => out,
          stop: () => new Promise((done) => { child.once('exit', (code) => done(code)); child.kill('SIGTERM'); }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code} before ready:\n${out}`)); });
  });
}
