/** The engine's inputs, outputs and serializable state. */
import type { WebhookToolSpec } from '../../contracts/flows.js';
import type { FlowExpectation } from './expectation.js';
import type { IntentMatch } from './intents.js';
import type { PartialWhen, SlotValue } from './slots.js';

export interface TranscriptLine { speaker: 'caller' | 'agent'; text: string }

/**
 * Everything the engine needs to go on: plain JSON, so it can be stored, sent to another instance or handed to
 * another provider mid-call (failover) and resumed with `FlowRunner.advance`.
 */
export interface FlowState {
  v: 1;
  flowId: string;
  language: string;
  /** The current step; the last one once ended. */
  step: string;
  /** What the engine waits for: the caller (`input`), a tool result, the language model's reply; null once ended. */
  waiting: 'input' | 'tool' | 'llm' | null;
  ended: { reason: string; transferTo?: string } | null;
  slots: Record<string, SlotValue>;
  /** Half-heard date-times ("tomorrow" without a time), per slot. */
  partial: Record<string, PartialWhen>;
  /** Failed attempts at the current ask. */
  attempts: number;
  /** The last intent an ask or llm step recognised. */
  intent: string | null;
  /** Caller turns in the current llm step. */
  turns: number;
  /** The tool call the engine waits for. */
  toolCallId: string | null;
  /** The most recent lines of the conversation (for llm steps and transfer summaries). */
  transcript: TranscriptLine[];
  /** Counter for tool call ids (deterministic). */
  seq: number;
}

export type FlowInput =
  /** Recognised speech; `confidence` 0–1 when the recognizer gives one. */
  | { type: 'text'; text: string; confidence?: number }
  | { type: 'dtmf'; digits: string }
  /** The caller said nothing before the listen timeout. */
  | { type: 'no_input' }
  | { type: 'tool_result'; callId: string; ok: true; result: unknown }
  | { type: 'tool_result'; callId: string; ok: false; error: string }
  /**
   * What the language model answered for an `llm` action (it has been spoken). `unavailable`: no model could
   * answer and `text` was an apology, so the flow goes on with the step's `next` instead of waiting in it.
   */
  | { type: 'llm_reply'; text: string; unavailable?: boolean };

export type FlowAction =
  | { type: 'say'; step: string; text: string; interruptible: boolean }
  /** Listen for the caller; `expectation` feeds a speech grammar (see `toGrammarExpectation`). */
  | { type: 'listen'; step: string; expectation: FlowExpectation; timeoutMs: number }
  /** Run a tool and answer with a `tool_result` input. `webhook` is set for the flow's own HTTP tools. */
  | { type: 'tool'; step: string; callId: string; name: string; arguments: Record<string, SlotValue>; webhook?: WebhookToolSpec }
  | { type: 'transfer'; step: string; to: string; summary: string }
  | { type: 'end'; step: string; reason: string }
  /** Let the language model answer the caller, then send its reply as an `llm_reply` input. */
  | {
    type: 'llm'; step: string; instructions: string; slots: Record<string, SlotValue>; transcript: TranscriptLine[]; tools: string[];
    /** What to say, in the conversation's language, when no model answers (none configured, or it failed). */
    apologies: { noModel: string; modelFailed: string };
  };

export type FlowActionType = FlowAction['type'];

/** What the engine made of the caller's input (for logs, the console, benchmarks). */
export interface Heard {
  intent?: IntentMatch;
  /** Slots filled by this input. */
  slots: Record<string, SlotValue>;
  /** The input answered the step. */
  matched: boolean;
  /** The recognizer's confidence was below the flow's `minConfidence`. */
  lowConfidence?: boolean;
}

export interface FlowTurn {
  state: FlowState;
  actions: FlowAction[];
  heard?: Heard;
}
