// Start a worker thread from a module that may be TypeScript source (dev, tests, `node --import tsx`) or compiled JS.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  // Why a bootstrap: Node 20 does not apply `--import tsx` from execArgv inside worker threads, so a .ts worker
  // would fail with "Unknown file extension". The bootstrap registers tsx's loader in the worker, then imports it.
  const tsxApi = tsxEsmApiUrl();
  const code =
    `import { register } from ${JSON.stringify(tsxApi)};\n` +
    `register();\n` +
    `await import(${JSON.stringify(moduleUrl.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
}

/** The URL of a module beside `importMetaUrl`, with the same extension (.ts from source, .js once compiled). */
export function siblingModule(importMetaUrl: string, name: string): URL {
  const ext = new URL(importMetaUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, importMetaUrl);
}

/** The ESM build of tsx's API, read from tsx's exports map (require.resolve would give the CJS build). */
function tsxEsmApiUrl(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = pkg.exports?.['./esm/api'];
  const rel = typeof entry === 'object' ? entry.import?.default : undefined;
  return pathToFileURL(join(dirname(pkgPath), rel ?? 'dist/esm/api/index.mjs')).href;
}
