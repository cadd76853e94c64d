// Main-thread face of the local recogniser: one pocketsphinx decoder per call, hosted in a small pool of worker
// threads. Audio frames are batched and posted; decoding happens in the worker while frames arrive, so the final
// hypothesis is ready a few milliseconds after endUtterance().
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { siblingModule, spawnWorker } from '../spawn-worker.js';
import { PHONE_BAND_CMNINIT } from './feat-params.js';
import type { AsrReply, AsrRequest, DecoderSetup } from './protocol.js';
import type { RecognitionResult } from './types.js';

export type { RecognitionResult, RecognizedWord } from './types.js';

/**
 * Decoder flags tuned on synthetic phone-line speech (4 flite voices + espeak-ng, 100 turns): spectral noise
 * subtraction off and a lower word insertion penalty took grammar-mode word error from 10.0 % to 6.6 %.
 */
export const DEFAULT_DECODER_ARGS: Readonly<Record<string, string>> = { '-remove_noise': 'no', '-wip': '0.2' };

/**
 * Added when the recogniser starts with a grammar (a flow call). `-topn 16` scores 16 Gaussians per codebook instead
 * of 4: phone-band features sit off the wide-band model, so the 4 best-looking Gaussians are often not the ones that
 * matter. It raised bench:asr intents from 86.7 % to 89.8 % (a separate set of 120 other utterances: 90.0 → 93.3 %)
 * for ~1.5× grammar CPU (RTF ≈ 0.04 on a free core). Not for dictation-only recognisers (call transcription):
 * there it nearly doubles the CPU (RTF 0.30 → 0.56) for little gain. The flag is fixed when the decoder loads.
 */
export const GRAMMAR_DECODER_ARGS: Readonly<Record<string, string>> = { '-topn': '16' };

export interface RecognizerOptions {
  /** Rate of the PCM16 frames you will push: 8000 (phone, upsampled inside) or 16000. */
  sampleRate: 8000 | 16000;
  /** JSGF grammar for the first turn; null (default) = open dictation. */
  grammar?: string | null;
  /**
   * 'phone' (default at 8 kHz): the audio crossed a phone line, so the decoder starts from a phone-band cepstral
   * mean; 'wide': 16 kHz microphone audio, use the model's own start value.
   */
  band?: 'phone' | 'wide';
  /** Override the cepstral-mean start value (13 numbers). */
  cmninit?: readonly number[];
  /** Folder holding en-us/, cmudict-en-us.dict and en-us.lm.bin. Default: Debian's pocketsphinx-en-us. */
  modelDir?: string;
  /** Extra or overriding pocketsphinx flags (merged over DEFAULT_DECODER_ARGS, and GRAMMAR_DECODER_ARGS with a grammar). */
  decoderArgs?: Record<string, string>;
  /** How much audio to collect before posting it to the worker (ms). Default 100. */
  batchMs?: number;
  pool?: AsrWorkerPool;
}

export interface Recognizer {
  readonly sampleRate: 8000 | 16000;
  /** Time the worker took to load this call's decoder (ms). */
  readonly startupMs: number;
  /** Grammar for the next utterance (null = dictation). Resolves once compiled; rejects on a bad grammar. */
  setGrammar(jsgf: string | null): Promise<void>;
  /** Push caller audio (any frame length). Never blocks: decoding happens in the worker. */
  pushAudio(frame: Int16Array): void;
  /** End the current utterance and get its final hypothesis. */
  endUtterance(): Promise<RecognitionResult>;
  /** The hypothesis so far of the utterance in progress (audio pushed until now); '' outside one. Live captions. */
  partial(): Promise<string>;
  /** Free the decoder (≈27 MB, ≈58 MB once it dictated). The recogniser cannot be used afterwards. */
  close(): Promise<void>;
}

type OkReply = Extract<AsrReply, { ok: true }>;

class PoolWorker {
  readonly worker: Worker;
  decoders = 0;
  dead: Error | undefined;
  private readonly pending = new Map<number, { resolve: (r: OkReply) => void; reject: (e: Error) => void }>();
  private nextReq = 1;

  constructor(onDeath: (w: PoolWorker) => void) {
    this.worker = spawnWorker(siblingModule(import.meta.url, 'asr-worker'));
    this.worker.unref();
    this.worker.on('message', (reply: AsrReply) => {
      const p = this.pending.get(reply.reqId);
      this.pending.delete(reply.reqId);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.ok) p?.resolve(reply);
      else p?.reject(new Error(`local asr: ${reply.error}`));
    });
    const die = (err: Error): void => {
      if (this.dead) return;
      this.dead = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      onDeath(this);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`local asr worker exited (code ${code})`)));
  }

  request(body: DistributiveOmit<Exclude<AsrRequest, { type: 'audio' }>, 'reqId'>): Promise<OkReply> {
    if (this.dead) return Promise.reject(this.dead);
    const reqId = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, { resolve, reject });
      this.worker.ref(); // keep the process alive while an answer is due
      this.worker.postMessage({ ...body, reqId });
    });
  }

  postAudio(decoderId: number, samples: Int16Array): void {
    if (this.dead) return;
    const msg: AsrRequest = { type: 'audio', decoderId, samples };
    this.worker.postMessage(msg, [samples.buffer as ArrayBuffer]);
  }
}

/** A few worker threads shared by all recognisers of the process; each hosts many decoders. */
export class AsrWorkerPool {
  readonly size: number;
  private readonly workers: PoolWorker[] = [];
  private nextDecoderId = 1;

  constructor(options: { size?: number } = {}) {
    // Default: leave one core to the main loop; grammar decoding costs ~0.02 s per second of audio per call.
    this.size = Math.max(1, options.size ?? Math.min(4, availableParallelism() - 1));
  }

  /** Decoders currently hosted, per worker. */
  get load(): number[] {
    return this.workers.map((w) => w.decoders);
  }

  /** @internal */
  acquire(): { worker: PoolWorker; decoderId: number } {
    let worker = this.workers.find((w) => w.decoders === 0);
    if (!worker && this.workers.length < this.size) {
      worker = new PoolWorker((dead) => this.workers.splice(this.workers.indexOf(dead), 1));
      this.workers.push(worker);
    }
    worker ??= this.workers.reduce((a, b) => (b.decoders < a.decoders ? b : a));
    worker.decoders++;
    return { worker, decoderId: this.nextDecoderId++ };
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

let defaultPool: AsrWorkerPool | undefined;
export function defaultAsrPool(): AsrWorkerPool {
  return (defaultPool ??= new AsrWorkerPool());
}

export async function createRecognizer(options: RecognizerOptions): Promise<Recognizer> {
  const { sampleRate } = options;
  if (sampleRate !== 8000 && sampleRate !== 16000) throw new RangeError('createRecognizer: sampleRate must be 8000 or 16000');
  const band = options.band ?? (sampleRate === 8000 ? 'phone' : 'wide');
  const setup: DecoderSetup = {
    sampleRate,
    cmninit: options.cmninit ?? (band === 'phone' ? PHONE_BAND_CMNINIT : null),
    grammar: options.grammar ?? null,
    args: { ...DEFAULT_DECODER_ARGS, ...(options.grammar ? GRAMMAR_DECODER_ARGS : {}), ...options.decoderArgs },
    ...(options.modelDir ? { modelDir: options.modelDir } : {}),
  };
  const pool = options.pool ?? defaultAsrPool();
  const { worker, decoderId } = pool.acquire();
  let reply: OkReply;
  try {
    reply = await worker.request({ type: 'create', decoderId, setup });
  } catch (err) {
    worker.decoders--;
    throw err;
  }
  return new PooledRecognizer(worker, decoderId, sampleRate, reply.startupMs ?? 0, options.batchMs ?? 100);
}

class PooledRecognizer implements Recognizer {
  private batch: Int16Array;
  private filled = 0;
  private closed = false;

  constructor(
    private readonly worker: PoolWorker,
    private readonly decoderId: number,
    readonly sampleRate: 8000 | 16000,
    readonly startupMs: number,
    batchMs: number,
  ) {
    this.batch = new Int16Array(Math.max(1, Math.round((sampleRate * batchMs) / 1000)));
  }

  setGrammar(jsgf: string | null): Promise<void> {
    this.assertOpen();
    this.flush();
    return this.worker.request({ type: 'grammar', decoderId: this.decoderId, jsgf }).then(() => undefined);
  }

  pushAudio(frame: Int16Array): void {
    this.assertOpen();
    let offset = 0;
    while (offset < frame.length) {
      const n = Math.min(frame.length - offset, this.batch.length - this.filled);
      this.batch.set(frame.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.batch.length) this.flush();
    }
  }

  async endUtterance(): Promise<RecognitionResult> {
    this.assertOpen();
    this.flush();
    const reply = await this.worker.request({ type: 'end', decoderId: this.decoderId });
    if (!reply.result) throw new Error('local asr: no result');
    return reply.result;
  }

  async partial(): Promise<string> {
    this.assertOpen();
    this.flush();
    const reply = await this.worker.request({ type: 'partial', decoderId: this.decoderId });
    return reply.partial ?? '';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.decoders--;
    await this.worker.request({ type: 'close', decoderId: this.decoderId }).catch(() => undefined);
  }

  private flush(): void {
    if (this.filled === 0) return;
    // The filled buffer is transferred to the worker (no copy); start a fresh one.
    const full = this.filled === this.batch.length ? this.batch : this.batch.slice(0, this.filled);
    const size = this.batch.length;
    this.worker.postAudio(this.decoderId, full);
    this.batch = full === this.batch ? new Int16Array(size) : this.batch;
    this.filled = 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('local asr: recognizer is closed');
    if (this.worker.dead) throw this.worker.dead;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
