import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SOURCE = join(ROOT, 'src/web/widget');
/** The call audio the console and the widget share: the main-thread modules and the worklets. */
const SHARED_AUDIO = ['src/web/src/audio/audio-pipe.ts', 'src/web/src/audio/voice-link.ts', 'src/contracts/widget.ts'].map((f) => join(ROOT, f));
const WORKLETS = ['mic-worklet.js', 'player-worklet.js'].map((f) => join(ROOT, 'src/web/public/audio', f));
const OUTPUT_DIR = join(ROOT, 'dist/widget');
const OUTPUT = join(OUTPUT_DIR, 'widget.js');

/**
 * Builds the embeddable widget (one IIFE file, dist/widget/widget.js, plus the audio worklets it loads from
 * dist/widget/audio) when missing or older than its sources.
 */
export async function ensureWidgetBuilt(): Promise<void> {
  const sources = [...readdirSync(SOURCE).map((f) => join(SOURCE, f)), ...SHARED_AUDIO, ...WORKLETS];
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  const outputs = [OUTPUT, ...WORKLETS.map((f) => join(OUTPUT_DIR, 'audio', f.split('/').pop()!))];
  if (outputs.every((f) => existsSync(f) && statSync(f).mtimeMs >= newest)) return;
  process.stdout.write('building the web widget…\n');
  const { build } = await import('vite');
  await build({
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir: OUTPUT_DIR,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      lib: { entry: join(SOURCE, 'widget.ts'), formats: ['iife'], name: 'SwitchboardWidget', fileName: () => 'widget.js' },
    },
  });
  mkdirSync(join(OUTPUT_DIR, 'audio'), { recursive: true });
  for (const worklet of WORKLETS) copyFileSync(worklet, join(OUTPUT_DIR, 'audio', worklet.split('/').pop()!));
}
