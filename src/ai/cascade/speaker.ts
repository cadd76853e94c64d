/**
 * Speaks sentences in order as the model streams them: one synthesis at a time, each sentence's audio converted
 * to the leg's format and handed out chunk by chunk. Stops at once when its signal aborts (barge-in).
 */
import { AudioConverter, audioMs } from '../audio-format.js';
import { isAbort } from '../http-stream.js';
import type { AudioFormat } from '../session.js';
import type { TextToSpeech } from './stages.js';

export interface SpeakerOutput {
  /** A sentence's first audio is about to come out. */
  onSentence(text: string): void;
  onAudio(data: Uint8Array, ms: number): void;
  onError(error: unknown): void;
}

export class SentenceSpeaker {
  private readonly queue: string[] = [];
  private readonly tts: TextToSpeech;
  private readonly format: AudioFormat;
  private readonly options: { voice?: string; language?: string };
  private readonly signal: AbortSignal;
  private readonly output: SpeakerOutput;
  private converter: AudioConverter | undefined;
  private running: Promise<void> | undefined;
  private ended = false;
  private drained: (() => void) | undefined;

  constructor(tts: TextToSpeech, format: AudioFormat, options: { voice?: string; language?: string }, signal: AbortSignal, output: SpeakerOutput) {
    this.tts = tts;
    this.format = format;
    this.options = options;
    this.signal = signal;
    this.output = output;
    signal.addEventListener('abort', () => this.poke(), { once: true });
  }

  speak(sentence: string): void {
    if (this.signal.aborted) return;
    this.queue.push(sentence);
    this.running ??= this.run();
    this.poke();
  }

  /** No more sentences; resolves once everything queued was spoken (or the signal aborted). */
  async finish(): Promise<void> {
    this.ended = true;
    this.poke();
    if (!this.running) return;
    await this.running;
  }

  private async run(): Promise<void> {
    for (;;) {
      const sentence = this.queue.shift();
      if (sentence === undefined) {
        if (this.ended || this.signal.aborted) return;
        await new Promise<void>((resolve) => (this.drained = resolve));
        continue;
      }
      if (this.signal.aborted) return;
      try {
        await this.say(sentence);
      } catch (error) {
        if (this.signal.aborted || isAbort(error)) return;
        this.output.onError(error);
        return;
      }
    }
  }

  private async say(sentence: string): Promise<void> {
    const synthesis = await this.tts.synthesize(sentence, { ...this.options, preferred: this.format, signal: this.signal });
    if (!this.converter || this.converter.from.encoding !== synthesis.format.encoding || this.converter.from.sampleRate !== synthesis.format.sampleRate) {
      this.converter = new AudioConverter(synthesis.format, this.format);
    }
    let first = true;
    for await (const chunk of synthesis.chunks) {
      if (this.signal.aborted) return;
      const data = this.converter.convert(chunk);
      if (data.length === 0) continue;
      if (first) this.output.onSentence(sentence);
      first = false;
      this.output.onAudio(data, audioMs(data.length, this.format));
    }
  }

  /** Wakes the loop when a sentence arrives (or the end, or an abort) after it went idle. */
  private poke(): void {
    const wake = this.drained;
    this.drained = undefined;
    wake?.();
  }
}
