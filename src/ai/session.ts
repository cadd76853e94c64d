/**
 * The one AI session contract every provider implements (OpenAI Realtime, Gemini Live, the cascade, local).
 * The call layer sees only this: it starts a session, streams caller audio in, plays agent audio out, and
 * reacts to a fixed set of events that arrive in the same order whichever provider is underneath (README).
 */
import type { z } from 'zod';
import type { AiError } from './errors.js';

export type AudioEncoding = 'mulaw' | 'alaw' | 'pcm16';

/** Same shape as the call layer's `LegAudioFormat`: PCM16 is little-endian mono. */
export interface AudioFormat {
  encoding: AudioEncoding;
  sampleRate: number;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** Arguments schema (zod object); converted to each provider's format by `tools.ts`. */
  parameters: z.ZodType;
}

/** One turn of the conversation so far, to seed a fresh session (failover, rollover, resumed call). */
export type ConversationTurn =
  | { role: 'caller'; text: string }
  | { role: 'agent'; text: string }
  | { role: 'tool'; callId: string; name: string; arguments: Record<string, unknown>; result: unknown };

export interface AiSessionOptions {
  instructions: string;
  /** Provider voice name; each provider has its own default. */
  voice?: string;
  /** BCP 47 language tag, e.g. "en-US". */
  language?: string;
  tools?: ToolDefinition[];
  /** Conversation so far, oldest first. */
  history?: ConversationTurn[];
  /** Format of the frames given to `sendAudio` (the leg's input format; μ-law 8 kHz passes through where accepted). */
  inputFormat: AudioFormat;
  /** Format the `audio` events must carry (the leg's output format); defaults to `inputFormat`. */
  outputFormat?: AudioFormat;
  /** The agent speaks first (a greeting from its instructions) without waiting for the caller. */
  speakFirst?: boolean;
}

export type EndReason = 'completed' | 'tool_call' | 'interrupted';

/**
 * Times (`atMs`, `startMs`, `endMs`) are on the session's input timeline: milliseconds of caller audio given to
 * `sendAudio` since start. Agent turns start where the input timeline stood when their first audio came out.
 */
export type AiEvent =
  | { type: 'audio'; responseId: string; data: Uint8Array; format: AudioFormat }
  | {
      type: 'transcript';
      speaker: 'caller' | 'agent';
      /** The whole text of the turn so far (partials) or of the turn (finals), never a delta. */
      text: string;
      final: boolean;
      startMs: number;
      endMs: number;
      /** Agent turns: the response this text belongs to. */
      responseId?: string;
      /** Agent finals cut by `interrupt()`: only what the caller heard. */
      truncated?: boolean;
      /** Agent finals: ms of audio the response produced (heard ms when truncated). */
      audioMs?: number;
    }
  | { type: 'speech_started'; atMs: number }
  | { type: 'speech_stopped'; atMs: number }
  /** The provider stopped the response in progress because the caller spoke: stop playback, then `interrupt()`. */
  | { type: 'interrupted'; responseId: string; atMs: number }
  /**
   * The agent calls a tool; answer with `sendToolResult`. Arguments the model wrote as bad JSON come as `{}` with
   * the raw text in `invalidArguments`: validate against the tool's schema and answer with an error, and it retries.
   */
  | { type: 'tool_call'; callId: string; name: string; arguments: Record<string, unknown>; invalidArguments?: string }
  | { type: 'turn_end'; responseId: string; reason: EndReason }
  /**
   * The provider will end this session soon (Gemini `goAway`, OpenAI's length cap); roll over before `timeLeftMs`.
   * `resuming`: the session continues on a new socket by itself (Gemini resumption), nothing to do.
   */
  | { type: 'going_away'; timeLeftMs: number; resuming?: boolean }
  | { type: 'error'; error: AiError }
  | { type: 'closed'; reason: string };

export type AiEventType = AiEvent['type'];
export type AiEventOf<T extends AiEventType> = Extract<AiEvent, { type: T }>;

/** Counters a health monitor reads (passive health, stall detection). */
export interface AiSessionStats {
  eventsIn: number;
  /** Provider messages dropped as malformed or unexpected. */
  rejected: number;
  audioInMs: number;
  audioOutMs: number;
  /** `performance.now()` of the last message from the provider. */
  lastEventAt: number;
}

export interface AiSession {
  /** Provider name, e.g. "openai-realtime". */
  readonly provider: string;
  readonly stats: AiSessionStats;
  /** Opens the provider connection and configures it; resolves once the session can take audio. */
  start(options: AiSessionOptions): Promise<void>;
  /** One frame of caller audio in `inputFormat`. Never blocks; dropped after close. */
  sendAudio(frame: Uint8Array): void;
  /** A caller message as text (chat, or DTMF turned into words); the agent answers it. */
  sendText(text: string): void;
  /** The caller heard `heardMs` of the latest agent response: stop it there and forget the rest. */
  interrupt(heardMs: number): void;
  /** Answers a `tool_call`; the agent goes on once every call of the response is answered. */
  sendToolResult(callId: string, result: unknown): void;
  /** Ends the session; `closed` follows. Idempotent. */
  close(): Promise<void>;
  on<T extends AiEventType>(type: T, listener: (event: AiEventOf<T>) => void): this;
  off<T extends AiEventType>(type: T, listener: (event: AiEventOf<T>) => void): this;
  /** Every event in order; returns the unsubscribe function. */
  onEvent(listener: (event: AiEvent) => void): () => void;
}

/** Hooks and shared settings the platform passes to every provider session. */
export interface ProviderHooks {
  /**
   * A reply owed (after a caller turn the provider heard, a text, tool results, speak-first) that shows no sign
   * within this many ms is a stall: `error` with code `timeout`, retryable (default 5000; 0 turns it off).
   */
  replyTimeoutMs?: number;
  /** WebSocket ping period; a socket that does not pong before the next ping is dropped (default 1000, so within 2 s; 0 = off). */
  pingMs?: number;
  /** A provider message was dropped (count it in `metrics.rejectedInput{source,reason}`). */
  onRejectedInput?: (source: string, reason: string) => void;
  /** A listener of this session threw; the session goes on (default: console.error). */
  onListenerError?: (error: unknown, event: AiEvent) => void;
}
