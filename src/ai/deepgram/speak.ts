/**
 * Deepgram Aura text-to-speech over HTTP: `POST /v1/speak?model=aura-2-…&encoding=mulaw&sample_rate=8000`,
 * the audio streamed from the response body in the leg's format (μ-law 8 kHz for phone calls).
 */
import type { SpeechSynthesis, TextToSpeech } from '../cascade/stages.js';
import { JsonEndpoint } from '../http-stream.js';
import type { AudioFormat } from '../session.js';
import type { SpeakQuery } from './wire.js';

const PROVIDER = 'deepgram-aura';
const LINEAR16_RATES = new Set([8000, 16000, 24000, 32000, 48000]);

export interface DeepgramSpeakConfig {
  apiKey: string;
  /** Default "https://api.deepgram.com/v1/speak". */
  baseUrl?: string;
  /** Default "aura-2-thalia-en"; a call's voice naming an Aura model overrides it. */
  model?: string;
  /** Deadline for the first byte of the answer (default 10 s). */
  timeoutMs?: number;
}

/** The format Aura will produce for a wanted one (μ-law/A-law 8 kHz as is, PCM16 at a rate it offers, else 24 kHz). */
export function auraFormat(preferred: AudioFormat): AudioFormat {
  if (preferred.encoding !== 'pcm16' && preferred.sampleRate === 8000) return preferred;
  if (preferred.encoding === 'pcm16' && LINEAR16_RATES.has(preferred.sampleRate)) return preferred;
  return { encoding: 'pcm16', sampleRate: 24000 };
}

export function speakQuery(model: string, format: AudioFormat): SpeakQuery {
  return { model, encoding: format.encoding === 'pcm16' ? 'linear16' : format.encoding, sample_rate: format.sampleRate, container: 'none' };
}

export class DeepgramTextToSpeech implements TextToSpeech {
  readonly name = 'deepgram-aura';
  private readonly config: DeepgramSpeakConfig;
  /** One prepared endpoint per model and format (the query string): a call uses one, for every sentence. */
  private readonly endpoints = new Map<string, JsonEndpoint>();

  constructor(config: DeepgramSpeakConfig) {
    this.config = config;
  }

  warm(options: { voice?: string; preferred: AudioFormat }): void {
    this.endpoint(options.voice, auraFormat(options.preferred)).warm();
  }

  async synthesize(text: string, options: { voice?: string; preferred: AudioFormat; signal?: AbortSignal }): Promise<SpeechSynthesis> {
    const format = auraFormat(options.preferred);
    const response = await this.endpoint(options.voice, format).post(JSON.stringify({ text }), { signal: options.signal, timeoutMs: this.config.timeoutMs ?? 10_000 });
    return { format, chunks: response.chunks };
  }

  private endpoint(voice: string | undefined, format: AudioFormat): JsonEndpoint {
    const model = voice?.startsWith('aura') ? voice : (this.config.model ?? 'aura-2-thalia-en');
    const key = `${model}/${format.encoding}/${format.sampleRate}`;
    let endpoint = this.endpoints.get(key);
    if (!endpoint) {
      const params = new URLSearchParams(Object.entries(speakQuery(model, format)).map(([k, v]): [string, string] => [k, String(v)]));
      endpoint = new JsonEndpoint(PROVIDER, `${this.config.baseUrl ?? 'https://api.deepgram.com/v1/speak'}?${params}`, { Authorization: `Token ${this.config.apiKey}` });
      this.endpoints.set(key, endpoint);
    }
    return endpoint;
  }
}
