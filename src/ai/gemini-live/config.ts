/** Gemini Live configuration: the `setup` message and the conversation so far as `clientContent` turns. */
import type { AiSessionOptions, ConversationTurn } from '../session.js';
import { toGeminiFunctionDeclarations } from '../tools.js';
import type { GeminiContent, GeminiSetup } from './wire.js';

export interface GeminiLiveConfig {
  apiKey: string;
  /** Default "models/gemini-live-2.5-flash-preview". */
  model?: string;
  /** Default Google's BidiGenerateContent endpoint (tests point it at a fake). */
  baseUrl?: string;
  /** Default voice when the call names none (a prebuilt voice, e.g. "Puck"). */
  voice?: string;
  /** Server-side end of speech: silence in ms before the turn ends (Gemini's default when unset). */
  silenceDurationMs?: number;
  /** A resumption handle from an earlier session: continue that conversation. */
  resumptionHandle?: string;
  /** On `goAway`, resume on a new socket with the latest handle (default true). */
  autoResume?: boolean;
  /** Local VAD hangover for speech_stopped (default 300 ms). */
  vadHangoverMs?: number;
  connectTimeoutMs?: number;
  /** Deadline for setupComplete (default 10 s). */
  readyTimeoutMs?: number;
}

export const GEMINI_URL =
  'wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent';

export function setupMessage(config: GeminiLiveConfig, options: AiSessionOptions, resumptionHandle: string | undefined): GeminiSetup {
  const model = config.model ?? 'models/gemini-live-2.5-flash-preview';
  const voiceName = options.voice ?? config.voice;
  const setup: GeminiSetup = {
    model: model.startsWith('models/') ? model : `models/${model}`,
    generationConfig: {
      responseModalities: ['AUDIO'],
      speechConfig: {
        ...(voiceName ? { voiceConfig: { prebuiltVoiceConfig: { voiceName } } } : {}),
        ...(options.language ? { languageCode: options.language } : {}),
      },
    },
    systemInstruction: { parts: [{ text: options.instructions }] },
    realtimeInputConfig: {
      automaticActivityDetection: {
        disabled: false,
        ...(config.silenceDurationMs !== undefined ? { silenceDurationMs: config.silenceDurationMs } : {}),
      },
      activityHandling: 'START_OF_ACTIVITY_INTERRUPTS',
    },
    inputAudioTranscription: {},
    outputAudioTranscription: {},
    sessionResumption: resumptionHandle ? { handle: resumptionHandle } : {},
  };
  if (options.tools && options.tools.length > 0) setup.tools = [{ functionDeclarations: toGeminiFunctionDeclarations(options.tools) }];
  return setup;
}

/** Tool results must be JSON objects for Gemini; anything else is wrapped as `{ result }`. */
export function functionResponseBody(result: unknown): Record<string, unknown> {
  return typeof result === 'object' && result !== null && !Array.isArray(result) ? (result as Record<string, unknown>) : { result };
}

export function historyContents(history: readonly ConversationTurn[]): GeminiContent[] {
  const turns: GeminiContent[] = [];
  for (const turn of history) {
    if (turn.role === 'caller') turns.push({ role: 'user', parts: [{ text: turn.text }] });
    else if (turn.role === 'agent') turns.push({ role: 'model', parts: [{ text: turn.text }] });
    else {
      turns.push({ role: 'model', parts: [{ functionCall: { id: turn.callId, name: turn.name, args: turn.arguments } }] });
      turns.push({ role: 'user', parts: [{ functionResponse: { id: turn.callId, name: turn.name, response: functionResponseBody(turn.result) } }] });
    }
  }
  return turns;
}
