/** One scripted conversation, three providers: each rig starts the fakes a provider needs and a session on them. */
import { CascadeSession } from '../../src/ai/cascade/index.js';
import { DeepgramSpeechToText, DeepgramTextToSpeech } from '../../src/ai/deepgram/index.js';
import { GeminiLiveSession } from '../../src/ai/gemini-live/index.js';
import { OpenAiCompatibleChat } from '../../src/ai/openai-compatible/index.js';
import { OpenAiRealtimeSession } from '../../src/ai/openai-realtime/index.js';
import type { AiSession, ProviderHooks } from '../../src/ai/session.js';
import { FakeDeepgram } from '../fakes/ai/deepgram-server.js';
import { FakeGeminiLive } from '../fakes/ai/gemini-live-server.js';
import { FakeOpenAiCompatible } from '../fakes/ai/openai-compatible-server.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import type { ConversationScript } from '../fakes/ai/script.js';

export type ProviderKind = 'openai-realtime' | 'gemini-live' | 'cascade';
export const PROVIDERS: ProviderKind[] = ['openai-realtime', 'gemini-live', 'cascade'];

export interface RigOptions {
  script: ConversationScript;
  /** Agent audio paced in real time (for barge-in). */
  realtime?: boolean;
  msPerChar?: number;
  hooks?: ProviderHooks;
}

export interface Rig {
  session: AiSession;
  /** The provider takes everything and answers nothing from now on. */
  silence(): void;
  /** The provider waits this long before each answer. */
  slow(ms: number): void;
  close(): Promise<void>;
}

export async function startRig(kind: ProviderKind, options: RigOptions): Promise<Rig> {
  const fakeOptions = { script: options.script, realtime: options.realtime, msPerChar: options.msPerChar };
  if (kind === 'openai-realtime') {
    const fake = await new FakeOpenAiRealtime(fakeOptions).start();
    const session = new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fake.url }, options.hooks);
    return {
      session,
      silence: () => (fake.faults.silent = true),
      slow: (ms) => (fake.faults.delayMs = ms),
      close: async () => { await session.close(); await fake.close(); },
    };
  }
  if (kind === 'gemini-live') {
    const fake = await new FakeGeminiLive(fakeOptions).start();
    const session = new GeminiLiveSession({ apiKey: 'test-key', baseUrl: fake.url }, options.hooks);
    return {
      session,
      silence: () => (fake.faults.silent = true),
      slow: (ms) => (fake.faults.delayMs = ms),
      close: async () => { await session.close(); await fake.close(); },
    };
  }
  const deepgram = await new FakeDeepgram(fakeOptions).start();
  const chat = await new FakeOpenAiCompatible({ script: options.script }).start();
  const session = new CascadeSession(
    {
      stt: new DeepgramSpeechToText({ apiKey: 'test-key', baseUrl: deepgram.listenUrl }, options.hooks),
      llm: new OpenAiCompatibleChat({ baseUrl: chat.baseUrl, model: 'test-model' }, options.hooks),
      tts: new DeepgramTextToSpeech({ apiKey: 'test-key', baseUrl: deepgram.speakUrl }),
    },
    options.hooks,
  );
  return {
    session,
    silence: () => (chat.faults.silent = true),
    slow: (ms) => (chat.faults.delayMs = ms),
    close: async () => { await session.close(); await deepgram.close(); await chat.close(); },
  };
}
