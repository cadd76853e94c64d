/**
 * OpenAI Realtime (GA) wire shapes: the client events we send (types) and the server events we act on (zod
 * schemas, so a malformed event is dropped and counted). `test/ai/sdk-types.test.ts` holds both against the
 * official `openai` SDK's declarations, so protocol drift fails the type check.
 */
import { z } from 'zod';
import type { RealtimeFunctionTool } from '../tools.js';

export type RealtimeAudioFormat = { type: 'audio/pcmu' } | { type: 'audio/pcma' } | { type: 'audio/pcm'; rate: 24000 };

export type RealtimeTurnDetection =
  | {
      type: 'server_vad';
      threshold?: number;
      prefix_padding_ms?: number;
      silence_duration_ms?: number;
      create_response?: boolean;
      interrupt_response?: boolean;
      idle_timeout_ms?: number | null;
    }
  | { type: 'semantic_vad'; eagerness?: 'low' | 'medium' | 'high' | 'auto'; create_response?: boolean; interrupt_response?: boolean };

export interface RealtimeSessionConfig {
  type: 'realtime';
  model?: string;
  output_modalities?: Array<'audio' | 'text'>;
  instructions?: string;
  audio?: {
    input?: {
      format?: RealtimeAudioFormat;
      turn_detection?: RealtimeTurnDetection | null;
      transcription?: { model?: string; language?: string; prompt?: string };
      noise_reduction?: { type?: 'near_field' | 'far_field' };
    };
    output?: { format?: RealtimeAudioFormat; voice?: string; speed?: number };
  };
  tools?: RealtimeFunctionTool[];
  tool_choice?: 'auto' | 'none' | 'required';
}

export type RealtimeConversationItem =
  | { type: 'message'; role: 'user'; content: Array<{ type: 'input_text'; text: string }> }
  | { type: 'message'; role: 'assistant'; content: Array<{ type: 'output_text'; text: string }> }
  | { type: 'message'; role: 'system'; content: Array<{ type: 'input_text'; text: string }> }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string };

/** Every client event this implementation sends. */
export type RealtimeClientMessage =
  | { type: 'session.update'; session: RealtimeSessionConfig }
  | { type: 'input_audio_buffer.append'; audio: string }
  | { type: 'input_audio_buffer.commit' }
  | { type: 'input_audio_buffer.clear' }
  | { type: 'conversation.item.create'; item: RealtimeConversationItem }
  | { type: 'conversation.item.truncate'; item_id: string; content_index: number; audio_end_ms: number }
  | { type: 'response.create' }
  | { type: 'response.cancel' };

const functionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: z.string().optional(),
  name: z.string(),
  arguments: z.string(),
  id: z.string().optional(),
});

/** Server events acted on, by type. Anything else is ignored (the API sends many informational events). */
export const realtimeServerEvents = {
  'session.created': z.object({ type: z.literal('session.created') }),
  'session.updated': z.object({ type: z.literal('session.updated') }),
  error: z.object({
    type: z.literal('error'),
    error: z.object({ type: z.string(), message: z.string(), code: z.string().nullish() }),
  }),
  'input_audio_buffer.speech_started': z.object({
    type: z.literal('input_audio_buffer.speech_started'),
    audio_start_ms: z.number(),
    item_id: z.string(),
  }),
  'input_audio_buffer.speech_stopped': z.object({
    type: z.literal('input_audio_buffer.speech_stopped'),
    audio_end_ms: z.number(),
    item_id: z.string(),
  }),
  'conversation.item.input_audio_transcription.delta': z.object({
    type: z.literal('conversation.item.input_audio_transcription.delta'),
    item_id: z.string(),
    delta: z.string().optional(),
  }),
  'conversation.item.input_audio_transcription.completed': z.object({
    type: z.literal('conversation.item.input_audio_transcription.completed'),
    item_id: z.string(),
    transcript: z.string(),
  }),
  'conversation.item.input_audio_transcription.failed': z.object({
    type: z.literal('conversation.item.input_audio_transcription.failed'),
    item_id: z.string(),
  }),
  'response.created': z.object({ type: z.literal('response.created'), response: z.object({ id: z.string().optional() }) }),
  'response.output_audio.delta': z.object({
    type: z.literal('response.output_audio.delta'),
    response_id: z.string(),
    item_id: z.string(),
    delta: z.string(),
  }),
  'response.output_audio_transcript.delta': z.object({
    type: z.literal('response.output_audio_transcript.delta'),
    response_id: z.string(),
    item_id: z.string(),
    delta: z.string(),
  }),
  'response.output_item.done': z.object({
    type: z.literal('response.output_item.done'),
    response_id: z.string(),
    item: z.union([functionCallItem, z.object({ type: z.string() })]),
  }),
  'response.done': z.object({
    type: z.literal('response.done'),
    response: z.object({
      id: z.string().optional(),
      status: z.enum(['completed', 'cancelled', 'failed', 'incomplete', 'in_progress']).optional(),
      status_details: z
        .object({ type: z.string().optional(), reason: z.string().optional(), error: z.object({ code: z.string().optional(), type: z.string().optional() }).optional() })
        .nullish(),
    }),
  }),
} as const;

export type RealtimeServerEventType = keyof typeof realtimeServerEvents;
export type RealtimeServerMessage<T extends RealtimeServerEventType> = z.infer<(typeof realtimeServerEvents)[T]>;
export const functionCallItemSchema = functionCallItem;
