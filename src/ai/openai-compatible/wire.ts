/**
 * Chat-completions (streaming) and speech wire shapes, as OpenAI, Ollama, vLLM and LM Studio speak them.
 * `test/ai/sdk-types.test.ts` holds them against the `openai` SDK's declarations.
 */
import { z } from 'zod';
import type { ChatFunctionTool } from '../tools.js';

export type ChatRequestMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
    }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatRequest {
  model: string;
  messages: ChatRequestMessage[];
  stream: true;
  tools?: ChatFunctionTool[];
  temperature?: number;
}

export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  response_format: 'pcm';
  instructions?: string;
}

export const chatChunk = z.object({
  choices: z.array(
    z.object({
      index: z.number().optional(),
      delta: z
        .object({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                index: z.number().optional(),
                id: z.string().nullish(),
                function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
              }),
            )
            .nullish(),
        })
        .nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
});

export type ChatChunk = z.infer<typeof chatChunk>;

/** An error body some servers stream as an event instead of answering with a status. */
export const chatErrorChunk = z.object({ error: z.object({ message: z.string().optional(), type: z.string().optional(), code: z.unknown().optional() }) });
