/**
 * The official SDKs as independent judges of our wire shapes (type level: `tsc` fails on drift).
 * - What we send must be assignable to the SDK's client message types.
 * - What the SDK says the server sends must be assignable to what we accept (our zod schemas' types), so a
 *   field we rely on that the SDK makes optional, renames or retypes fails here first.
 * The fakes under test/fakes/ai build their server messages as the SDK types directly.
 */
import type { LiveClientMessage, LiveServerMessage } from '@google/genai';
import type { listen, speak } from '@deepgram/sdk';
import type { V1Client } from '@deepgram/sdk/listen/v1';
import type { SpeechCreateParams } from 'openai/resources/audio/speech';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ListenControlMessage, ListenQuery, SpeakQuery, listenServerEvents } from '../../src/ai/deepgram/wire.js';
import type { GeminiClientMessage, GeminiServerMessage } from '../../src/ai/gemini-live/wire.js';
import type { ChatChunk, ChatRequest, SpeechRequest } from '../../src/ai/openai-compatible/wire.js';
import type { RealtimeClientMessage, RealtimeServerEventType, RealtimeServerMessage } from '../../src/ai/openai-realtime/wire.js';

/** true when every A is a B (no distribution over unions). */
type Assignable<A, B> = [A] extends [B] ? true : false;
/** SDK string enums as their string values (we write the values on the wire). */
type Loose<T> = T extends string
  ? `${T}`
  : T extends (...args: never[]) => unknown
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<Loose<U>>
      : T extends object
        ? { [K in keyof T]: Loose<T[K]> }
        : T;
/** Compile-time check: fails to type-check unless `T` is `true`. */
function holds<T extends true>(): T | undefined {
  return undefined;
}

type SdkServerEvent<T extends RealtimeServerEventType> = Extract<RealtimeServerEvent, { type: T }>;
type EveryServerEventAccepted = { [T in RealtimeServerEventType]: Assignable<SdkServerEvent<T>, RealtimeServerMessage<T>> }[RealtimeServerEventType];

type DeepgramEvents = typeof listenServerEvents;
type Accepts<T extends keyof DeepgramEvents> = z.infer<DeepgramEvents[T]>;

describe('wire shapes agree with the official SDKs', () => {
  it('OpenAI Realtime (openai): client events we send, server events we accept', () => {
    holds<Assignable<RealtimeClientMessage, RealtimeClientEvent>>();
    holds<EveryServerEventAccepted>();
    // Each handled type exists in the SDK's server event union (a renamed event fails here).
    holds<Assignable<RealtimeServerEventType, RealtimeServerEvent['type']>>();
    expect(true).toBe(true);
  });

  it('Gemini Live (@google/genai): LiveClientMessage out, LiveServerMessage in', () => {
    holds<Assignable<GeminiClientMessage, Loose<LiveClientMessage>>>();
    holds<Assignable<Loose<Omit<LiveServerMessage, 'text' | 'data'>>, GeminiServerMessage>>();
    expect(true).toBe(true);
  });

  it('Deepgram (@deepgram/sdk): listen query and control messages, Results/UtteranceEnd/SpeechStarted, speak query', () => {
    holds<Assignable<ListenQuery, Omit<V1Client.ConnectArgs, 'Authorization'>>>();
    holds<Assignable<ListenControlMessage, listen.ListenV1KeepAlive | listen.ListenV1Finalize | listen.ListenV1CloseStream>>();
    holds<Assignable<listen.ListenV1Results, Accepts<'Results'>>>();
    holds<Assignable<listen.ListenV1UtteranceEnd, Accepts<'UtteranceEnd'>>>();
    holds<Assignable<listen.ListenV1SpeechStarted, Accepts<'SpeechStarted'>>>();
    holds<Assignable<listen.ListenV1Metadata, Accepts<'Metadata'>>>();
    holds<Assignable<SpeakQuery & { text: string }, speak.v1.SpeakV1Request>>();
    expect(true).toBe(true);
  });

  it('OpenAI-compatible chat and speech (openai): request out, chunk in', () => {
    holds<Assignable<ChatRequest, ChatCompletionCreateParamsStreaming>>();
    holds<Assignable<ChatCompletionChunk, ChatChunk>>();
    holds<Assignable<SpeechRequest, SpeechCreateParams>>();
    expect(true).toBe(true);
  });
});
