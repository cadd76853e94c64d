/**
 * Gemini Live (BidiGenerateContent) wire shapes: the client messages we send (types) and the server messages we
 * act on (zod). `test/ai/sdk-types.test.ts` holds them against `@google/genai`'s `LiveClientMessage` and
 * `LiveServerMessage`, so protocol drift fails the type check.
 */
import { z } from 'zod';
import type { GeminiFunctionDeclaration } from '../tools.js';

export interface GeminiPart {
  text?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { id?: string; name: string; args: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiSetup {
  model: string;
  generationConfig: {
    responseModalities: Array<'AUDIO' | 'TEXT'>;
    speechConfig?: { voiceConfig?: { prebuiltVoiceConfig?: { voiceName?: string } }; languageCode?: string };
  };
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: Array<{ functionDeclarations: GeminiFunctionDeclaration[] }>;
  realtimeInputConfig?: {
    automaticActivityDetection?: {
      disabled?: boolean;
      startOfSpeechSensitivity?: 'START_SENSITIVITY_HIGH' | 'START_SENSITIVITY_LOW';
      endOfSpeechSensitivity?: 'END_SENSITIVITY_HIGH' | 'END_SENSITIVITY_LOW';
      prefixPaddingMs?: number;
      silenceDurationMs?: number;
    };
    activityHandling?: 'START_OF_ACTIVITY_INTERRUPTS' | 'NO_INTERRUPTION';
  };
  inputAudioTranscription?: Record<string, never>;
  outputAudioTranscription?: Record<string, never>;
  sessionResumption?: { handle?: string };
}

/** Every client message this implementation sends. */
export type GeminiClientMessage =
  | { setup: GeminiSetup }
  | { realtimeInput: { audio: { data: string; mimeType: string } } }
  | { realtimeInput: { audioStreamEnd: boolean } }
  | { clientContent: { turns: GeminiContent[]; turnComplete: boolean } }
  | { toolResponse: { functionResponses: Array<{ id?: string; name: string; response: Record<string, unknown> }> } };

const transcription = z.object({ text: z.string().optional(), finished: z.boolean().optional() });

/** One server message; every field is optional and several can come together. */
export const geminiServerMessage = z.object({
  setupComplete: z.object({}).loose().optional(),
  serverContent: z
    .object({
      modelTurn: z
        .object({
          parts: z
            .array(
              z.object({
                text: z.string().optional(),
                inlineData: z.object({ mimeType: z.string().optional(), data: z.string().optional() }).optional(),
                thought: z.boolean().optional(),
              }),
            )
            .optional(),
        })
        .optional(),
      interrupted: z.boolean().optional(),
      turnComplete: z.boolean().optional(),
      generationComplete: z.boolean().optional(),
      inputTranscription: transcription.optional(),
      outputTranscription: transcription.optional(),
    })
    .optional(),
  toolCall: z
    .object({
      functionCalls: z
        .array(z.object({ id: z.string().optional(), name: z.string().optional(), args: z.record(z.string(), z.unknown()).optional() }))
        .optional(),
    })
    .optional(),
  toolCallCancellation: z.object({ ids: z.array(z.string()).optional() }).optional(),
  goAway: z.object({ timeLeft: z.string().optional() }).optional(),
  sessionResumptionUpdate: z.object({ newHandle: z.string().optional(), resumable: z.boolean().optional() }).optional(),
  usageMetadata: z.unknown().optional(),
});

export type GeminiServerMessage = z.infer<typeof geminiServerMessage>;

/** "10s", "1.5s" (protobuf Duration as JSON) → ms; undefined when unreadable. */
export function durationMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Sample rate of an `audio/pcm;rate=24000` MIME type (default 24 kHz, Gemini's output rate). */
export function pcmRate(mimeType: string | undefined): number | undefined {
  if (!mimeType) return 24000;
  if (!mimeType.startsWith('audio/pcm')) return undefined;
  const match = /rate=(\d+)/.exec(mimeType);
  return match ? Number(match[1]) : 24000;
}
