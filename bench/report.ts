import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const HEADER = '# Benchmarks\n\nEvery figure here was written by the command named in its section; re-run it to refresh the section.\nThe machine is a shared 2-core box, so absolute times drift: compare medians and ratios.\n';

/** One line saying where and when a figure was measured. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus().length} × ${cpu} · ${Math.round(totalmem() / 2 ** 30)} GiB`;
}

/** Replaces (or appends) the section `## <title>` of docs/benchmarks.md with `body`. */
export function writeSection(title: string, body: string): void {
  const text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  const start = text.indexOf(`\n## ${title}\n`);
  const section = `\n## ${title}\n\n${body.trim()}\n`;
  let next: string;
  if (start === -1) {
    next = `${text.trimEnd()}\n${section}`;
  } else {
    const after = text.indexOf('\n## ', start + 1);
    next = text.slice(0, start) + section + (after === -1 ? '' : text.slice(after));
  }
  writeFileSync(FILE, next);
}
