import { sine } from '../../media/index.js';
import { toLegAudio } from '../audio.js';
import type { LegAudioFormat } from '../leg.js';

/** What speaks a greeting: the local TTS (src/ai/local/tts.ts) fits this shape; any other engine can too. */
export interface GreetingSynthesizer {
  synthesize(text: string, options?: { language?: string; voice?: string }): Promise<{ samples: Int16Array; sampleRate: number }>;
}

export interface GreetingAudio {
  audio: Uint8Array;
  source: 'tts' | 'tone';
  error?: string;
}

/**
 * Greetings in a leg's format, synthesized once per (text, voice, language, format) and kept, so a busy voicemail
 * number does not synthesize per call. Without a synthesizer, or when it fails or is slow, a short tone stands in.
 */
export class GreetingCache {
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly synthesizer: GreetingSynthesizer | null, private readonly options: { timeoutMs?: number; maxEntries?: number } = {}) {}

  async get(text: string, format: LegAudioFormat, voice: { language?: string; voice?: string } = {}): Promise<GreetingAudio> {
    if (!this.synthesizer || text.trim() === '') return { audio: toneGreeting(format), source: 'tone' };
    const key = JSON.stringify([text, voice.voice ?? '', voice.language ?? '', format.encoding, format.sampleRate]);
    let pending = this.cache.get(key);
    if (!pending) {
      pending = this.synthesize(text, format, voice);
      this.cache.set(key, pending);
      pending.catch(() => this.cache.delete(key)); // a failure is retried by the next call
      if (this.cache.size > (this.options.maxEntries ?? 64)) this.cache.delete(this.cache.keys().next().value!);
    }
    try {
      return { audio: await pending, source: 'tts' };
    } catch (err) {
      return { audio: toneGreeting(format), source: 'tone', error: err instanceof Error ? err.message : String(err) };
    }
  }

  private async synthesize(text: string, format: LegAudioFormat, voice: { language?: string; voice?: string }): Promise<Uint8Array> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('greeting synthesis timed out')), this.options.timeoutMs ?? 8000);
    });
    try {
      const speech = await Promise.race([this.synthesizer!.synthesize(text, voice), timeout]);
      if (speech.samples.length === 0) throw new Error('synthesizer returned no audio');
      return toLegAudio(speech.samples, speech.sampleRate, format);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Two soft 440 Hz pips: "someone is here" when no voice can be synthesized. */
export function toneGreeting(format: LegAudioFormat): Uint8Array {
  const rate = format.sampleRate;
  const pip = sine(440, rate, Math.round(rate * 0.25), 0.25);
  const samples = new Int16Array(Math.round(rate * 0.65));
  samples.set(pip, 0);
  samples.set(pip, Math.round(rate * 0.4));
  return toLegAudio(samples, rate, format);
}

/** The beep before recording: 1 kHz, 400 ms. */
export function beep(format: LegAudioFormat): Uint8Array {
  return toLegAudio(sine(1000, format.sampleRate, Math.round(format.sampleRate * 0.4), 0.35), format.sampleRate, format);
}
