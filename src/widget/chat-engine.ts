/**
 * Runs a flow in text mode for the web chat: the same FlowRunner the voice agents use, with `say` lines becoming
 * chat replies. Tools are the flow's webhooks (call-control tools have no call here and answer an error, so the
 * flow takes its `onError` path); `llm` steps ask the model when one is given.
 */
import type { LanguageModel } from '../ai/cascade/stages.js';
import { FlowRunner, llmMessages, type FlowAction, type FlowInput, type FlowState } from '../ai/flows/index.js';
import { registerWebhookTool, ToolRunner } from '../ai/tools/index.js';
import type { FlowDefinition } from '../contracts/flows.js';

export interface ChatReply {
  author: 'agent' | 'system';
  text: string;
}

export interface ChatTurn {
  state: FlowState;
  replies: ChatReply[];
  /** Set when the flow asked for a person (`transfer`) or ended the conversation. */
  outcome: { type: 'transfer'; to: string; summary: string } | { type: 'end'; reason: string } | null;
}

export interface ChatEngineOptions {
  llm?: LanguageModel | null;
  llmFallback?: string;
  webhookSecret?: string;
  language?: string;
}

/** Actions of one turn at most: a flow that keeps producing tool results past this is looping. */
const MAX_ROUNDS = 20;

export class ChatEngine {
  private readonly runner: FlowRunner;
  private readonly tools: ToolRunner;

  constructor(flow: FlowDefinition, private readonly options: ChatEngineOptions = {}) {
    this.runner = new FlowRunner(flow);
    this.tools = new ToolRunner();
    for (const [name, spec] of Object.entries(flow.tools)) registerWebhookTool(this.tools, name, spec, { secret: options.webhookSecret ?? '' });
  }

  get flowId(): string { return this.runner.flow.id; }

  /** Starts the flow; `slots` pre-fills what is known. */
  async start(): Promise<ChatTurn> {
    const first = this.runner.start(this.options.language ? { language: this.options.language } : {});
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
          const text = await this.ask(a);
          replies.push({ author: 'agent', text });
          next = { type: 'llm_reply', text };
          break;
        }
      }
      if (!next) break;
      const turn = this.runner.advance(state, next);
      state = turn.state;
      actions = turn.actions;
    }
    return { state, replies, outcome };
  }

  private async ask(action: Extract<FlowAction, { type: 'llm' }>): Promise<string> {
    const fallback = this.options.llmFallback ?? 'Sorry, I cannot answer that right now.';
    if (!this.options.llm) return fallback;
    try {
      let text = '';
      for await (const chunk of this.options.llm.generate({ messages: llmMessages(action), tools: [] })) if (chunk.type === 'text') text += chunk.text;
      return text.trim() || fallback;
    } catch {
      return fallback;
    }
  }
}
