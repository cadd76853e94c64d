import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SOURCE = join(ROOT, 'src/web/widget');
const OUTPUT_DIR = join(ROOT, 'dist/widget');
const OUTPUT = join(OUTPUT_DIR, 'widget.js');

/** Builds the embeddable widget (one IIFE file, dist/widget/widget.js) when missing or older than its sources. */
export async function ensureWidgetBuilt(): Promise<void> {
  const newest = Math.max(...readdirSync(SOURCE).map((f) => statSync(join(SOURCE, f)).mtimeMs), statSync(join(ROOT, 'src/contracts/widget.ts')).mtimeMs);
  if (existsSync(OUTPUT) && statSync(OUTPUT).mtimeMs >= newest) return;
  process.stdout.write('building the web widget…\n');
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: OUTPUT_DIR,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      lib: { entry: join(SOURCE, 'widget.ts'), formats: ['iife'], name: 'SwitchboardWidget', fileName: () => 'widget.js' },
    },
  });
}
