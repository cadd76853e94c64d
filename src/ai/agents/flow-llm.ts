/**
 * Answers a flow's `llm` action with a language model, the same way on calls (LocalFlowAgent) and in the web chat
 * (ChatEngine): the step's instructions, slots and conversation as chat messages, the step's tools offered and run
 * with their results given back to the model (a few rounds), text streamed to `onText` as it arrives.
 * Without a model, or when it fails, the answer is an honest apology marked `unavailable`: the flow then goes on
 * with the step's `next` (its scripted path, often a person) instead of waiting in a conversation nobody can hold.
 */
import type { ChatMessage, LanguageModel, ToolCallRequest } from '../cascade/stages.js';
import { llmMessages, type FlowAction, type LlmChannel } from '../flows/index.js';
import type { ToolResult, ToolRunner } from '../tools/index.js';
import { parseToolArguments, toolResultText } from '../tools.js';

type LlmAction = Extract<FlowAction, { type: 'llm' }>;

/** Model ↔ tool rounds in one answer: past this the model gets no tools and must answer in words. */
const MAX_TOOL_ROUNDS = 3;

export interface FlowLlmOptions {
  llm: LanguageModel | null | undefined;
  channel: LlmChannel;
  /** Runs the tools the step lists (only those are offered and allowed). */
  tools?: ToolRunner | null;
  /** Said instead of the action's apologies (the flow's phrases, or the built-in ones in its language). */
  fallback?: string | undefined;
  onText?: (delta: string) => void;
  onToolCall?: (call: { name: string; callId: string; ok: boolean }) => void;
  signal?: AbortSignal;
}

export interface FlowLlmAnswer {
  text: string;
  /** No model answered: `text` is the apology; send `llm_reply` with `unavailable` so the flow moves on. */
  unavailable: boolean;
  /** Why no model answered: none configured, or its error. */
  reason?: string;
}

export async function answerLlmAction(action: LlmAction, options: FlowLlmOptions): Promise<FlowLlmAnswer> {
  const { llm, tools } = options;
  if (!llm) return { text: options.fallback ?? action.apologies.noModel, unavailable: true, reason: 'no language model is configured' };
  const offered = tools ? tools.definitions(action.tools) : [];
  const allowed = new Set(offered.map((t) => t.name));
  const messages: ChatMessage[] = llmMessages(action, options.channel);
  const said: string[] = [];
  try {
    for (let round = 0; ; round++) {
      const last = round >= MAX_TOOL_ROUNDS;
      let text = '';
      const calls: ToolCallRequest[] = [];
      const request = { messages: [...messages], tools: last ? [] : offered, ...(options.signal ? { signal: options.signal } : {}) };
      for await (const chunk of llm.generate(request)) {
        if (chunk.type === 'text') {
          // Text after a tool round is a new sentence of the same answer (as `said` is joined).
          options.onText?.(text === '' && said.length ? ` ${chunk.text}` : chunk.text);
          text += chunk.text;
        } else {
          calls.push(chunk.call);
        }
      }
      if (text.trim()) said.push(text.trim());
      if (!calls.length || !tools || last) break;
      messages.push({ role: 'assistant', content: text.trim(), toolCalls: calls });
      for (const call of calls) {
        const result = await runTool(tools, allowed, call);
        options.onToolCall?.({ name: call.name, callId: call.callId, ok: result.ok });
        messages.push({ role: 'tool', callId: call.callId, content: toolResultText(result.ok ? result.result : { error: result.error }) });
      }
    }
  } catch (err) {
    // What already streamed stays the answer; with nothing said, the apology.
    if (!said.length) return { text: options.fallback ?? action.apologies.modelFailed, unavailable: true, reason: err instanceof Error ? err.message : String(err) };
  }
  if (!said.length) return { text: options.fallback ?? action.apologies.modelFailed, unavailable: true, reason: 'the model gave no answer' };
  return { text: said.join(' '), unavailable: false };
}

function runTool(tools: ToolRunner, allowed: ReadonlySet<string>, call: ToolCallRequest): Promise<ToolResult> {
  if (!allowed.has(call.name)) return Promise.resolve({ ok: false, error: `${call.name} is not available here` });
  const args = parseToolArguments(call.arguments);
  if (!args) return Promise.resolve({ ok: false, error: `arguments for ${call.name} are not a JSON object` });
  return tools.run({ name: call.name, arguments: args, callId: call.callId });
}
