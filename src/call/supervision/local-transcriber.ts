import { Endpointer, FRAME_MS } from '../../ai/agents/endpointer.js';
import {
  checkLocalSpeech, createRecognizer, createWebRtcVad, type AsrWorkerPool, type LocalSpeechAvailability, type Recognizer, type WebRtcVad,
} from '../../ai/local/index.js';
import type { Logger } from '../../infra/logger.js';
import type { SpeechStream, SpeechStreamRequest, Transcriber } from './live-transcript.js';

export interface LocalTranscriberOptions {
  log: Pick<Logger, 'warn'>;
  speech?: () => Promise<LocalSpeechAvailability>;
  pool?: AsrWorkerPool;
  /** How often a partial hypothesis is asked for while someone speaks (ms). Default 600. */
  partialEveryMs?: number;
  /** Silence that ends an utterance (ms). Default 500: people pause mid-sentence more than the flow's callers. */
  endpointMs?: number;
}

/**
 * Transcribes the people of a taken-over call the way LocalFlowAgent hears callers: WebRTC VAD in 20 ms frames
 * finds utterances (Endpointer, preroll kept), pocketsphinx in its worker pool decodes them in open dictation.
 * Without the local speech packages it says so once and transcribes nothing.
 */
export function localTranscriber(options: LocalTranscriberOptions): Transcriber {
  let warned = false;
  return async (request) => {
    const speech = await (options.speech ?? checkLocalSpeech)();
    if (!speech.asr.available || !speech.vad.available) {
      if (!warned) {
        warned = true;
        options.log.warn({ reason: speech.asr.reason ?? speech.vad.reason }, 'local speech recognition unavailable: taken-over calls are not transcribed');
      }
      return null;
    }
    const [vad, recognizer] = await Promise.all([
      createWebRtcVad({ sampleRate: request.sampleRate, mode: 3 }),
      createRecognizer({ sampleRate: request.sampleRate, band: request.band, grammar: null, ...(options.pool ? { pool: options.pool } : {}) }),
    ]);
    return new DictationStream(vad, recognizer, request, options.partialEveryMs ?? 600, options.endpointMs ?? 500);
  };
}

class DictationStream implements SpeechStream {
  private readonly frame: number;
  private carry = new Int16Array(0);
  private readonly endpointer: Endpointer;
  private utterance: { startMs: number; partial: NodeJS.Timeout; lastPartial: string } | null = null;
  private closed = false;
  /** Finals in the order their utterances ended (the worker answers in order, but keep it explicit). */
  private finals: Promise<void> = Promise.resolve();

  constructor(private readonly vad: WebRtcVad, private readonly recognizer: Recognizer, private readonly request: SpeechStreamRequest,
    private readonly partialEveryMs: number, endpointMs: number) {
    this.frame = (request.sampleRate * FRAME_MS) / 1000;
    this.endpointer = new Endpointer((f) => vad.process(f), {
      onStart: (preroll) => this.started(preroll),
      onFrame: (f) => { if (this.utterance) this.recognizer.pushAudio(f); },
      onEnd: () => this.ended(),
    }, { endpointMs });
  }

  push(samples: Int16Array): void {
    if (this.closed || samples.length === 0) return;
    const all = new Int16Array(this.carry.length + samples.length);
    all.set(this.carry);
    all.set(samples, this.carry.length);
    let at = 0;
    try {
      for (; at + this.frame <= all.length; at += this.frame) this.endpointer.push(all.slice(at, at + this.frame));
    } catch {
      // The recognizer's worker died: the call goes on untranscribed rather than breaking its media path.
      this.closed = true;
      if (this.utterance) clearInterval(this.utterance.partial);
      this.utterance = null;
      return;
    }
    this.carry = all.slice(at);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // What was said up to the hand-back still counts.
    if (this.utterance) this.ended();
    this.closed = true;
    await this.finals;
    this.vad.close();
    await this.recognizer.close().catch(() => {});
  }

  private started(preroll: Int16Array[]): void {
    const startMs = Math.max(0, this.request.nowMs() - preroll.length * FRAME_MS);
    for (const f of preroll) this.recognizer.pushAudio(f);
    const partial = setInterval(() => this.askPartial(), this.partialEveryMs);
    partial.unref();
    this.utterance = { startMs, partial, lastPartial: '' };
  }

  private askPartial(): void {
    const u = this.utterance;
    if (!u || this.closed) return;
    this.recognizer.partial().then((text) => {
      if (this.utterance !== u || !text || text === u.lastPartial) return;
      u.lastPartial = text;
      this.request.onTurn({ text, final: false, startMs: Math.round(u.startMs), endMs: Math.round(this.request.nowMs()) });
    }).catch(() => {});
  }

  private ended(): void {
    const u = this.utterance;
    this.utterance = null;
    if (!u) return;
    clearInterval(u.partial);
    const endMs = this.request.nowMs();
    const result = this.recognizer.endUtterance();
    this.finals = this.finals.then(async () => {
      const text = (await result).text.trim();
      // An empty recognition (noise, a cough) is no turn of the transcript.
      if (text) this.request.onTurn({ text, final: true, startMs: Math.round(u.startMs), endMs: Math.round(endMs) });
    }).catch(() => {});
  }
}
