/**
 * What a fake provider says, shared by every fake so one script drives the same conversation through each:
 * the n-th caller utterance (or text) is answered by `turns[n]`.
 */
export interface ScriptTurn {
  /** What the fake "recognizes" the caller said. */
  caller: string;
  /** The agent's spoken answer (when no tool is called, or before the tool call as a preamble). */
  agent?: string;
  /** The agent calls this tool instead of (or after the preamble of) answering. */
  tool?: { name: string; arguments: Record<string, unknown>; /** Sent instead of the JSON of `arguments` (bad JSON tests). */ raw?: string };
  /** What the agent says once the tool result is back. */
  afterTool?: string;
}

export interface ConversationScript {
  /** Said when the agent speaks first. */
  greeting?: string;
  turns: ScriptTurn[];
}

export const DEFAULT_SCRIPT: ConversationScript = {
  greeting: 'Hello, thanks for calling.',
  turns: [{ caller: 'Hello there', agent: 'Hi! How can I help you today?' }],
};

/** The turn for the n-th caller input (the last one repeats when the script runs out). */
export function turnAt(script: ConversationScript, index: number): ScriptTurn {
  return script.turns[Math.min(index, script.turns.length - 1)] ?? { caller: '', agent: 'Sorry?' };
}

/** Faults a fake can be told to inject (issue 6's chaos harness). Set them on `fake.faults` any time. */
export interface Faults {
  /** Refuse the WebSocket upgrade / HTTP request with this status (401, 429, 500…). */
  rejectStatus?: number;
  /** Close the socket (or break off the HTTP body) after the first audio/text chunk of a response. */
  closeMidResponse?: boolean;
  /** Take everything, answer nothing (after the handshake). */
  silent?: boolean;
  /** Answer no WebSocket pings (half-open socket): the client's keep-alive must find it. */
  ignorePings?: boolean;
  /** Hold the WebSocket handshake this long (slow provider: probe latency rises). */
  handshakeDelayMs?: number;
  /** Wait this long before each response. */
  delayMs?: number;
  /** Answer a turn with the provider's error event instead of a response. */
  errorEvent?: boolean;
  /** Interleave malformed events with the real ones. */
  malformed?: boolean;
}
