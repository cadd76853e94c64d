/**
 * Deepgram streaming STT (`/v1/listen`) and Aura TTS (`/v1/speak`) wire shapes. `test/ai/sdk-types.test.ts`
 * holds them against `@deepgram/sdk`'s listen/speak declarations.
 */
import { z } from 'zod';

export type ListenControlMessage = { type: 'KeepAlive' } | { type: 'Finalize' } | { type: 'CloseStream' };

/** Query parameters of `/v1/listen` as we send them. */
export interface ListenQuery {
  model: string;
  encoding: 'mulaw' | 'alaw' | 'linear16';
  sample_rate: number;
  channels: number;
  interim_results: 'true' | 'false';
  endpointing: number;
  utterance_end_ms: number;
  vad_events: 'true' | 'false';
  smart_format: 'true' | 'false';
  language?: string;
}

/** Query parameters of `/v1/speak`; the body is `{ text }`. */
export interface SpeakQuery {
  model: string;
  encoding: 'mulaw' | 'alaw' | 'linear16';
  sample_rate: number;
  container: 'none';
}

export const listenServerEvents = {
  Results: z.object({
    type: z.literal('Results'),
    start: z.number(),
    duration: z.number(),
    is_final: z.boolean().optional(),
    speech_final: z.boolean().optional(),
    from_finalize: z.boolean().optional(),
    channel: z.object({
      alternatives: z.array(z.object({ transcript: z.string(), confidence: z.number().optional() })),
    }),
  }),
  UtteranceEnd: z.object({ type: z.literal('UtteranceEnd'), last_word_end: z.number() }),
  SpeechStarted: z.object({ type: z.literal('SpeechStarted'), timestamp: z.number() }),
  Metadata: z.object({ type: z.literal('Metadata') }),
  Error: z.object({ type: z.literal('Error'), description: z.string().optional(), message: z.string().optional(), variant: z.string().optional() }),
} as const;
