import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What a browser must fetch before the console can run: index.html's entry script, the chunks it names for
 * modulepreload (its static imports) and its stylesheets. Lazy page chunks are counted apart.
 */
export interface BundleSize {
  initial: { files: string[]; rawBytes: number; gzipBytes: number };
  lazy: { files: number; rawBytes: number; gzipBytes: number; largest: { file: string; gzipBytes: number } | null };
}

const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

export function measureBundle(outDir: string): BundleSize {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const named = [
    ...html.matchAll(/<script[^>]+src="\/([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="(?:modulepreload|stylesheet)"[^>]+href="\/([^"]+)"/g),
    ...html.matchAll(/<link[^>]+href="\/([^"]+)"[^>]+rel="(?:modulepreload|stylesheet)"/g),
  ].map((m) => m[1]!);
  const initialFiles = [...new Set(named)];
  const read = (file: string) => readFileSync(join(outDir, file));
  const initialBytes = initialFiles.map(read);
  const htmlBytes = Buffer.from(html);
  const lazyFiles = readdirSync(join(outDir, 'assets')).map((f) => `assets/${f}`).filter((f) => f.endsWith('.js') && !initialFiles.includes(f));
  const lazy = lazyFiles.map((file) => ({ file, raw: read(file).length, gzip: gz(read(file)) }));
  const largest = lazy.reduce<(typeof lazy)[number] | null>((a, b) => (a && a.gzip >= b.gzip ? a : b), null);
  return {
    initial: {
      files: ['index.html', ...initialFiles],
      rawBytes: htmlBytes.length + initialBytes.reduce((n, b) => n + b.length, 0),
      gzipBytes: gz(htmlBytes) + initialBytes.reduce((n, b) => n + gz(b), 0),
    },
    lazy: {
      files: lazy.length,
      rawBytes: lazy.reduce((n, c) => n + c.raw, 0),
      gzipBytes: lazy.reduce((n, c) => n + c.gzip, 0),
      largest: largest ? { file: largest.file, gzipBytes: largest.gzip } : null,
    },
  };
}
