import type { HangupSource, LegAudioFormat } from './leg.js';

/**
 * What answers a call: the echo and voicemail agents here, the AI engine later. An agent sees caller audio and
 * DTMF and acts through its `AgentContext`; it never sees which carrier or provider is underneath.
 */
export interface TranscriptTurn {
  /** 'human': the person who took the call over from the AI agent (src/call/supervision). */
  speaker: 'caller' | 'agent' | 'human';
  text: string;
  final: boolean;
  startMs: number;
  endMs: number;
}

export interface AgentContext {
  readonly callId: string;
  readonly tenantId: string;
  /** Caller audio format (what `onCallerAudio` receives) and agent audio format (what `play` takes). */
  readonly inputFormat: LegAudioFormat;
  readonly outputFormat: LegAudioFormat;
  /** ms since the call's media started: the position in the recording, the time base of transcripts and events. */
  nowMs(): number;
  /**
   * Plays agent audio to the caller (in `outputFormat`); it is also recorded on the agent channel. Audio played
   * while nothing is queued starts a new response (the unit `interrupt` measures).
   */
  play(payload: Uint8Array): void;
  /** Stops agent playback now (the carrier's `clear`); returns how many ms of the current response the caller heard. */
  interrupt(): number;
  /** Calls `onPlayed` once playback reaches this point (or when it is cleared before). */
  mark(name: string, onPlayed?: () => void): void;
  hangup(reason: string, source?: HangupSource): Promise<void>;
  transfer(to: string): Promise<void>;
  /** A transcript turn (partials go to the live bus only; finals are stored). */
  transcript(turn: TranscriptTurn): void;
  /** A timeline entry on the call record (e.g. "voicemail.recording_started"). */
  event(type: string, data?: Record<string, unknown>): void;
}

export interface AgentSession {
  readonly kind: string;
  start(ctx: AgentContext): Promise<void>;
  /** One frame of caller audio, in ctx.inputFormat (valid only during the call). Must not block. */
  onCallerAudio(payload: Uint8Array, atMs: number): void;
  onDtmf(digit: string): void;
  /**
   * The call went on hold (true) or came back (false). While on hold the agent gets no caller audio or DTMF and
   * what it plays is dropped: pause timers (no-input prompts) and resume them after.
   */
  onHold?(held: boolean): void;
  /** The call ended; release everything. */
  close(reason: string): Promise<void>;
}

/** What an agent is built for: the call, and the number's settings when a number answered. */
export interface AgentSpec {
  kind: string;
  tenantId: string;
  callId: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  flowId: string | null;
  greeting: string | null;
  options: Record<string, unknown>;
  /** The call's metadata (e.g. `contactId` of a widget call, whose chat is the call's prior conversation). */
  metadata?: Record<string, unknown>;
}

/** Builds the agent a phone number or session names (`echo`, `voicemail`, later `flow`, `ai:<provider>`). */
export type AgentFactory = (spec: AgentSpec) => AgentSession;
