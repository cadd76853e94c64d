import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SOURCES = [join(ROOT, 'src/web'), join(ROOT, 'src/contracts')];
const OUTPUT = join(ROOT, 'dist/web/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the console with Vite when dist/web is missing or older than its sources (it is never committed). */
export async function ensureConsoleBuilt(): Promise<void> {
  if (existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs >= Math.max(...SOURCES.filter(existsSync).map(newestMtime))) return;
  process.stdout.write('building the console…\n');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'src/web/vite.config.ts'), logLevel: 'warn' });
}
