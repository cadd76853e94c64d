/** A provider session from a small config (the platform passes it; keys come from settings or the tenant). */
import { CascadeSession } from '../cascade/index.js';
import { DeepgramSpeechToText, DeepgramTextToSpeech } from '../deepgram/index.js';
import { GeminiLiveSession } from '../gemini-live/index.js';
import { OpenAiCompatibleChat } from '../openai-compatible/index.js';
import { OpenAiRealtimeSession } from '../openai-realtime/index.js';
import type { AiSession, ProviderHooks } from '../session.js';

export interface ProviderConfig {
  kind: 'openai' | 'gemini' | 'cascade';
  /** Provider endpoint (tests point it at a fake); for `cascade` the chat-completions base URL. */
  url?: string;
  key?: string;
  model?: string;
  voice?: string;
  /** OpenAI Realtime only: the session length cap; `going_away` fires ahead of it so failover rolls over. */
  maxSessionMs?: number;
  /** Cascade only: Deepgram for speech in and out. */
  deepgram?: { key: string; listenUrl?: string; speakUrl?: string };
}

export function createAiSession(config: ProviderConfig, hooks: ProviderHooks = {}): AiSession {
  const common = { apiKey: config.key ?? '', ...(config.url ? { baseUrl: config.url } : {}), ...(config.model ? { model: config.model } : {}), ...(config.voice ? { voice: config.voice } : {}) };
  switch (config.kind) {
    case 'openai': return new OpenAiRealtimeSession({ ...common, ...(config.maxSessionMs ? { sessionLimitMs: config.maxSessionMs } : {}) }, hooks);
    case 'gemini': return new GeminiLiveSession(common, hooks);
    case 'cascade': {
      if (!config.deepgram) throw new Error('a cascade provider needs deepgram speech settings');
      const dg = config.deepgram;
      return new CascadeSession({
        stt: new DeepgramSpeechToText({ apiKey: dg.key, ...(dg.listenUrl ? { baseUrl: dg.listenUrl } : {}) }, hooks),
        llm: new OpenAiCompatibleChat({ baseUrl: config.url ?? 'https://api.openai.com/v1', model: config.model ?? 'gpt-4o-mini', ...(config.key ? { apiKey: config.key } : {}) }, hooks),
        tts: new DeepgramTextToSpeech({ apiKey: dg.key, ...(dg.speakUrl ? { baseUrl: dg.speakUrl } : {}) }),
      }, hooks);
    }
  }
}
