/**
 * The three stages a cascade is built from, each a small interface with one real implementation per product
 * (Deepgram, any OpenAI-compatible endpoint, later the local engines and the flow engine).
 */
import type { AiError } from '../errors.js';
import type { AudioFormat, ToolDefinition } from '../session.js';

/** What a streaming recognizer reports. Times are ms of audio sent to the stream. */
export type SttEvent =
  | { type: 'speech_started'; atMs: number }
  /** `final`: this stretch of audio will not be transcribed again; `endOfTurn`: the caller stopped talking. */
  | { type: 'transcript'; text: string; final: boolean; endOfTurn: boolean; startMs: number; endMs: number }
  | { type: 'utterance_end'; atMs: number }
  | { type: 'error'; error: AiError }
  | { type: 'closed'; reason: string };

export interface SpeechToTextStream {
  sendAudio(frame: Uint8Array): void;
  /** Flush: transcribe what was sent so far now. */
  finalize(): void;
  close(): Promise<void>;
  onEvent(listener: (event: SttEvent) => void): () => void;
}

export interface SpeechToText {
  readonly name: string;
  /** Opens a stream that takes `format` audio (μ-law 8 kHz where the recognizer accepts it). */
  open(options: { format: AudioFormat; language?: string }): Promise<SpeechToTextStream>;
}

export interface SpeechSynthesis {
  /** The format of `chunks` (the preferred one when the engine can produce it). */
  format: AudioFormat;
  chunks: AsyncIterable<Uint8Array>;
}

export interface TextToSpeech {
  readonly name: string;
  synthesize(text: string, options: { voice?: string; language?: string; preferred: AudioFormat; signal?: AbortSignal }): Promise<SpeechSynthesis>;
  /** A remote engine opens its connection now, so that the next `synthesize` pays no connect. */
  warm?(options: { voice?: string; preferred: AudioFormat }): void;
}

export interface ToolCallRequest {
  callId: string;
  name: string;
  /** JSON text as the model wrote it. */
  arguments: string;
}

/** Read-only: a message is replaced, never changed in place (a chat model may keep each one's JSON). */
export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCallRequest[] }
  | { readonly role: 'tool'; readonly callId: string; readonly content: string };

export type LanguageModelChunk = { type: 'text'; text: string } | { type: 'tool_call'; call: ToolCallRequest };

/** A chat model (or the flow engine): streams text and, once assembled, tool calls. */
export interface LanguageModel {
  readonly name: string;
  generate(request: { messages: readonly ChatMessage[]; tools: readonly ToolDefinition[]; signal?: AbortSignal }): AsyncIterable<LanguageModelChunk>;
  /** A remote model opens its connection now, so that the next `generate` pays no connect. */
  warm?(): void;
}
