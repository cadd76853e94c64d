/**
 * OpenAI speech (`POST /v1/audio/speech`, `response_format: "pcm"`): 24 kHz 16-bit little-endian PCM streamed
 * from the response body; the cascade converts it to the leg's format.
 */
import { PCM16_24K } from '../audio-format.js';
import type { SpeechSynthesis, TextToSpeech } from '../cascade/stages.js';
import { JsonEndpoint } from '../http-stream.js';
import type { SpeechRequest } from './wire.js';

const PROVIDER = 'openai-speech';

export interface OpenAiSpeechConfig {
  /** Default "https://api.openai.com/v1". */
  baseUrl?: string;
  apiKey?: string;
  /** Default "gpt-4o-mini-tts". */
  model?: string;
  /** Default "alloy". */
  voice?: string;
  timeoutMs?: number;
}

export class OpenAiSpeech implements TextToSpeech {
  readonly name = PROVIDER;
  private readonly config: OpenAiSpeechConfig;
  private readonly endpoint: JsonEndpoint;

  constructor(config: OpenAiSpeechConfig) {
    this.config = config;
    const base = (config.baseUrl ?? 'https://api.openai.com/v1').replace(/\/$/, '');
    this.endpoint = new JsonEndpoint(PROVIDER, `${base}/audio/speech`, config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {});
  }

  warm(): void {
    this.endpoint.warm();
  }

  async synthesize(text: string, options: { voice?: string; signal?: AbortSignal }): Promise<SpeechSynthesis> {
    const body: SpeechRequest = {
      model: this.config.model ?? 'gpt-4o-mini-tts',
      input: text,
      voice: options.voice ?? this.config.voice ?? 'alloy',
      response_format: 'pcm',
    };
    const response = await this.endpoint.post(JSON.stringify(body), { signal: options.signal, timeoutMs: this.config.timeoutMs ?? 10_000 });
    return { format: PCM16_24K, chunks: response.chunks };
  }
}
