/**
 * Runs a flow in text mode for the web chat: the same FlowRunner the voice agents use, with `say` lines becoming
 * chat replies. Tools are the flow's webhooks plus the call built-ins read for a chat: `transfer_call` hands the
 * conversation to a person, `end_call` ends it, `send_dtmf` (no keypad here) answers an error.
 * `llm` steps go to the tenant's language model exactly as on a call (`answerLlmAction`, shared with the voice
 * agent): the step's instructions, slots, conversation and tools. Without a model the visitor is told plainly that
 * open questions cannot be answered here, and the flow goes on with the step's `next`.
 */
import { answerLlmAction } from '../ai/agents/flow-llm.js';
import type { LanguageModel } from '../ai/cascade/stages.js';
import { FlowRunner, type FlowAction, type FlowInput, type FlowState, type TranscriptLine } from '../ai/flows/index.js';
import { registerCallTools, registerWebhookTool, ToolRunner } from '../ai/tools/index.js';
import type { FlowDefinition } from '../contracts/flows.js';

export interface ChatReply {
  author: 'agent' | 'system';
  text: string;
}

type Outcome = { type: 'transfer'; to: string; summary: string } | { type: 'end'; reason: string };

export interface ChatTurn {
  state: FlowState;
  replies: ChatReply[];
  /** Set when the flow (or the model, through its tools) asked for a person or ended the conversation. */
  outcome: Outcome | null;
}

export interface ChatEngineOptions {
  llm?: LanguageModel | null;
  /** Said instead of the built-in apologies when no model answers. */
  llmFallback?: string;
  webhookSecret?: string;
  language?: string;
  /** The contact's conversation before this run of the flow (its calls too), for `llm` steps. */
  transcript?: TranscriptLine[];
  /** A model's answer as it streams (typing indicators); the whole answer still comes as a reply. */
  onLlmText?: (delta: string) => void;
  /** What happened to an `llm` step: answered, or why not (for logs and metrics). */
  onLlm?: (event: { step: string; answered: boolean; reason?: string }) => void;
}

/** Actions of one turn at most: a flow that keeps producing tool results past this is looping. */
const MAX_ROUNDS = 20;

export class ChatEngine {
  private readonly runner: FlowRunner;
  private readonly tools: ToolRunner;
  /** Set by `transfer_call` / `end_call` while a turn runs. */
  private toolOutcome: Outcome | null = null;

  constructor(flow: FlowDefinition, private readonly options: ChatEngineOptions = {}) {
    this.runner = new FlowRunner(flow);
    this.tools = new ToolRunner();
    registerCallTools(this.tools, {
      transfer: async (to, summary) => { this.toolOutcome = { type: 'transfer', to, summary: summary ?? '' }; },
      hangup: async (reason) => { this.toolOutcome = { type: 'end', reason }; },
      sendDtmf: async () => { throw new Error('there is no keypad in a chat'); },
    });
    for (const [name, spec] of Object.entries(flow.tools)) registerWebhookTool(this.tools, name, spec, { secret: options.webhookSecret ?? '' });
  }

  get flowId(): string { return this.runner.flow.id; }

  /** Starts the flow; `slots` pre-fills what is known. */
  async start(): Promise<ChatTurn> {
    const first = this.runner.start({ ...(this.options.language ? { language: this.options.language } : {}), ...(this.options.transcript ? { transcript: this.options.transcript } : {}) });
    return this.perform(first.state, first.actions);
  }

  /** The visitor's text in `state`; a flow that had ended starts over first. */
  async text(state: FlowState | null, text: string): Promise<ChatTurn> {
    let replies: ChatReply[] = [];
    if (!state || state.ended || state.flowId !== this.runner.flow.id) {
      const started = await this.start();
      state = started.state;
      replies = started.replies;
    }
    const turn = this.runner.advance(state, { type: 'text', text });
    const done = await this.perform(turn.state, turn.actions);
    return { ...done, replies: [...replies, ...done.replies] };
  }

  private async perform(initial: FlowState, initialActions: FlowAction[]): Promise<ChatTurn> {
    let state = initial;
    let actions = initialActions;
    const replies: ChatReply[] = [];
    let outcome: ChatTurn['outcome'] = null;
    this.toolOutcome = null;
    for (let round = 0; round < MAX_ROUNDS && actions.length; round++) {
      let next: FlowInput | null = null;
      for (const a of actions) {
        if (a.type === 'say') replies.push({ author: 'agent', text: a.text });
        else if (a.type === 'transfer') outcome = { type: 'transfer', to: a.to, summary: a.summary };
        else if (a.type === 'end') outcome = { type: 'end', reason: a.reason };
        else if (a.type === 'tool') {
          const r = await this.tools.run({ name: a.name, arguments: a.arguments, callId: a.callId });
          next = r.ok ? { type: 'tool_result', callId: a.callId, ok: true, result: r.result } : { type: 'tool_result', callId: a.callId, ok: false, error: r.error };
          break;
        } else if (a.type === 'llm') {
          const answer = await answerLlmAction(a, {
            llm: this.options.llm, channel: 'chat', tools: this.tools, fallback: this.options.llmFallback,
            ...(this.options.onLlmText ? { onText: this.options.onLlmText } : {}),
          });
          this.options.onLlm?.({ step: a.step, answered: !answer.unavailable, ...(answer.reason ? { reason: answer.reason } : {}) });
          replies.push({ author: 'agent', text: answer.text });
          next = { type: 'llm_reply', text: answer.text, ...(answer.unavailable ? { unavailable: true } : {}) };
          break;
        }
      }
      if (!next) break;
      const turn = this.runner.advance(state, next);
      state = turn.state;
      actions = turn.actions;
    }
    // A person asked for (or a goodbye) through a tool ends this run of the flow; the next message starts it over.
    const fromTool = this.toolOutcome as Outcome | null; // set by the tool handlers while the turn ran
    if (!outcome && fromTool) {
      outcome = fromTool;
      const ended = outcome.type === 'transfer' ? { reason: 'transferred', transferTo: outcome.to } : { reason: outcome.reason };
      state = { ...state, ended, waiting: null };
    }
    return { state, replies, outcome };
  }
}
