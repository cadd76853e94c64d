// Local speech synthesis (flite + espeak-ng, both WASM, in a worker thread). No network, no system packages.
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnWorker } from './spawn-worker.js';
import { isFliteVoice, type FliteVoice } from './tts-engines.js';

export interface SynthesisOptions {
  /** A flite voice (kal 8 kHz; kal16, slt, rms, awb 16 kHz), or an espeak-ng voice ("en-us", "es", "espeak:cs"). */
  voice?: string;
  /** BCP 47-ish language; English goes to flite's default voice, anything else to espeak-ng. */
  language?: string;
  /** Speaking rate, 1 = normal, 1.2 = 20 % faster. */
  rate?: number;
}

export interface SynthesizedSpeech {
  samples: Int16Array;
  sampleRate: number;
  engine: TtsEngineName;
  voice: string;
  /** Time the worker spent on this request (synthesis, plus engine start-up on the first call). */
  synthMs: number;
}

export interface SpeechSynthesizer {
  synthesize(text: string, options?: SynthesisOptions): Promise<{ samples: Int16Array; sampleRate: number }>;
}

export type TtsEngineName = 'flite' | 'espeak';

export interface LocalSynthesizerOptions {
  /** Voice used when a call names neither voice nor a non-English language. Default "slt". */
  defaultVoice?: string;
}

/** Messages between tts.ts and tts-worker.ts. */
export type TtsRequest =
  | { id: number; type: 'synthesize'; engine: TtsEngineName; voice: string; text: string; rate: number }
  | { id: number; type: 'warm'; engines: TtsEngineName[] }
  | { id: number; type: 'close' };
export type TtsReply =
  | { id: number; ok: true; type: 'synthesize'; samples: Int16Array; sampleRate: number; synthMs: number }
  | { id: number; ok: true; type: 'warm'; timings: Record<string, number> }
  | { id: number; ok: true; type: 'close' }
  | { id: number; ok: false; error: string };

/** Which engine and voice a request goes to. */
export function resolveVoice(
  options: SynthesisOptions = {},
  defaultVoice = 'slt',
): { engine: TtsEngineName; voice: string } {
  const pick = (voice: string): { engine: TtsEngineName; voice: string } => {
    const v = voice.trim();
    if (isFliteVoice(v.toLowerCase())) return { engine: 'flite', voice: v.toLowerCase() as FliteVoice };
    return { engine: 'espeak', voice: v.replace(/^espeak:/i, '').toLowerCase().replace('_', '-') };
  };
  if (options.voice) return pick(options.voice);
  const language = options.language?.trim().toLowerCase().replace('_', '-');
  if (language && language !== 'en' && !language.startsWith('en-')) return { engine: 'espeak', voice: language };
  return pick(defaultVoice);
}

export class LocalSpeechSynthesizer implements SpeechSynthesizer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: TtsReply) => void; reject: (e: Error) => void }>();
  private readonly defaultVoice: string;

  constructor(options: LocalSynthesizerOptions = {}) {
    this.defaultVoice = options.defaultVoice ?? 'slt';
  }

  async synthesize(text: string, options: SynthesisOptions = {}): Promise<SynthesizedSpeech> {
    const { engine, voice } = resolveVoice(options, this.defaultVoice);
    const rate = options.rate ?? 1;
    if (!(rate > 0.25 && rate < 4)) throw new RangeError(`rate must be between 0.25 and 4, got ${rate}`);
    if (text.trim() === '') {
      return { samples: new Int16Array(0), sampleRate: engine === 'flite' ? 16000 : 22050, engine, voice, synthMs: 0 };
    }
    const reply = await this.request({ type: 'synthesize', engine, voice, text, rate });
    if (reply.type !== 'synthesize') throw new Error('tts worker: unexpected reply');
    return { samples: reply.samples, sampleRate: reply.sampleRate, engine, voice, synthMs: reply.synthMs };
  }

  /** Start the worker and compile the engines now rather than on the first call; returns start-up times (ms). */
  async warmUp(engines: TtsEngineName[] = ['flite', 'espeak']): Promise<Record<string, number>> {
    const reply = await this.request({ type: 'warm', engines });
    return reply.type === 'warm' ? reply.timings : {};
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await this.request({ type: 'close' }).catch(() => undefined);
    this.worker = undefined;
    await worker.terminate();
  }

  private request(body: DistributiveOmit<TtsRequest, 'id'>): Promise<Exclude<TtsReply, { ok: false }>> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (reply) => (reply.ok ? resolve(reply) : reject(new Error(`local tts: ${reply.error}`))),
        reject,
      });
      worker.ref(); // keep the process alive while a request is out
      worker.postMessage({ ...body, id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(siblingModule(import.meta.url, 'tts-worker'));
    worker.on('message', (reply: TtsReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref(); // an idle synthesizer must not hold the process open
      p?.resolve(reply);
    });
    const fail = (err: Error): void => {
      if (this.worker === worker) this.worker = undefined; // the next call starts a fresh worker
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`local tts worker exited (code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function createLocalSynthesizer(options: LocalSynthesizerOptions = {}): LocalSpeechSynthesizer {
  return new LocalSpeechSynthesizer(options);
}
