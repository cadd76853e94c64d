/**
 * OpenAI Realtime session configuration: which wire format each side uses (μ-law and A-law 8 kHz pass through;
 * anything else goes as 24 kHz PCM through the resampler), turn detection, transcription, tools, seeded history.
 */
import { PCM16_24K } from '../audio-format.js';
import type { AiSessionOptions, AudioFormat, ConversationTurn } from '../session.js';
import { toRealtimeTools, toolResultText } from '../tools.js';
import type { RealtimeAudioFormat, RealtimeClientMessage, RealtimeSessionConfig, RealtimeTurnDetection } from './wire.js';

export interface OpenAiRealtimeConfig {
  apiKey: string;
  /** Default "gpt-realtime". */
  model?: string;
  /** Default "wss://api.openai.com/v1/realtime" (tests point it at a fake). */
  baseUrl?: string;
  /** Default server VAD with threshold 0.5, 300 ms prefix padding, 500 ms silence. */
  turnDetection?: RealtimeTurnDetection;
  /** Input transcription model; default "gpt-4o-mini-transcribe". */
  transcriptionModel?: string;
  noiseReduction?: 'near_field' | 'far_field';
  /** Default voice when the call names none; default "alloy". */
  voice?: string;
  speed?: number;
  connectTimeoutMs?: number;
  /** Deadline for session.created and session.updated (default 10 s). */
  readyTimeoutMs?: number;
  /** How long agent events wait for the caller's transcript to keep the contract's order (default 2 s). */
  transcriptWaitMs?: number;
  /** The provider's session length cap (default 60 min) and how long before it `going_away` fires (default 60 s, at most half the cap). */
  sessionLimitMs?: number;
  goingAwayLeadMs?: number;
}

export const DEFAULT_TURN_DETECTION: RealtimeTurnDetection = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 500,
  create_response: true,
  interrupt_response: true,
};

/** The wire format for a leg format, and the format the provider audio really has on that side. */
export function wireFormat(format: AudioFormat): { wire: RealtimeAudioFormat; format: AudioFormat } {
  if (format.encoding === 'mulaw' && format.sampleRate === 8000) return { wire: { type: 'audio/pcmu' }, format };
  if (format.encoding === 'alaw' && format.sampleRate === 8000) return { wire: { type: 'audio/pcma' }, format };
  return { wire: { type: 'audio/pcm', rate: 24000 }, format: PCM16_24K };
}

export function sessionUpdate(config: OpenAiRealtimeConfig, options: AiSessionOptions, output: AudioFormat): RealtimeClientMessage {
  const language = options.language?.split('-')[0];
  const session: RealtimeSessionConfig = {
    type: 'realtime',
    model: config.model ?? 'gpt-realtime',
    output_modalities: ['audio'],
    instructions: options.instructions,
    audio: {
      input: {
        format: wireFormat(options.inputFormat).wire,
        turn_detection: config.turnDetection ?? DEFAULT_TURN_DETECTION,
        transcription: { model: config.transcriptionModel ?? 'gpt-4o-mini-transcribe', ...(language ? { language } : {}) },
        ...(config.noiseReduction ? { noise_reduction: { type: config.noiseReduction } } : {}),
      },
      output: {
        format: wireFormat(output).wire,
        voice: options.voice ?? config.voice ?? 'alloy',
        ...(config.speed !== undefined ? { speed: config.speed } : {}),
      },
    },
  };
  if (options.tools && options.tools.length > 0) {
    session.tools = toRealtimeTools(options.tools);
    session.tool_choice = 'auto';
  }
  return { type: 'session.update', session };
}

/** The conversation so far as `conversation.item.create` events. */
export function historyItems(history: readonly ConversationTurn[]): RealtimeClientMessage[] {
  const events: RealtimeClientMessage[] = [];
  for (const turn of history) {
    if (turn.role === 'caller') {
      events.push({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: turn.text }] } });
    } else if (turn.role === 'agent') {
      events.push({ type: 'conversation.item.create', item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: turn.text }] } });
    } else {
      events.push({
        type: 'conversation.item.create',
        item: { type: 'function_call', call_id: turn.callId, name: turn.name, arguments: JSON.stringify(turn.arguments) },
      });
      events.push({
        type: 'conversation.item.create',
        item: { type: 'function_call_output', call_id: turn.callId, output: toolResultText(turn.result) },
      });
    }
  }
  return events;
}
