/**
 * A streaming chat-completions client for any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio): text
 * deltas as they arrive, tool calls once their arguments are complete. It is the cascade's `LanguageModel`.
 */
import type { ChatMessage, LanguageModel, LanguageModelChunk, ToolCallRequest } from '../cascade/stages.js';
import { AiError } from '../errors.js';
import { JsonEndpoint } from '../http-stream.js';
import type { ProviderHooks, ToolDefinition } from '../session.js';
import { toChatTools } from '../tools.js';
import { serverSentEvents } from './sse.js';
import { chatChunk, chatErrorChunk, type ChatRequest, type ChatRequestMessage } from './wire.js';

const PROVIDER = 'openai-compatible';

export interface OpenAiCompatibleConfig {
  /** e.g. "https://api.openai.com/v1", "http://localhost:11434/v1" (Ollama), "http://localhost:1234/v1" (LM Studio). */
  baseUrl: string;
  /** Optional for local servers. */
  apiKey?: string;
  model: string;
  temperature?: number;
  /** Deadline for the first byte of the answer (default 15 s). */
  timeoutMs?: number;
}

export function toRequestMessage(message: ChatMessage): ChatRequestMessage {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return message.toolCalls && message.toolCalls.length > 0
        ? {
            role: 'assistant',
            content: message.content || null,
            tool_calls: message.toolCalls.map((call) => ({ id: call.callId, type: 'function', function: { name: call.name, arguments: call.arguments } })),
          }
        : { role: 'assistant', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.callId, content: message.content };
  }
}

export class OpenAiCompatibleChat implements LanguageModel {
  readonly name: string;
  private readonly config: OpenAiCompatibleConfig;
  private readonly hooks: ProviderHooks;
  private readonly endpoint: JsonEndpoint;
  /**
   * The request body up to its messages, serialised once per tool list: zod → JSON Schema costs ~1.5 ms and the
   * schemas' JSON a little more, and a session sends the same list every turn.
   */
  private readonly bodyStarts = new WeakMap<readonly ToolDefinition[], string>();
  /**
   * Each message's JSON for as long as the message lives: a session sends its whole history every turn (a long
   * call, hundreds of messages), and messages are never changed in place (`ChatMessage` is read-only).
   */
  private readonly messageJson = new WeakMap<ChatMessage, string>();

  constructor(config: OpenAiCompatibleConfig, hooks: ProviderHooks = {}) {
    this.config = config;
    this.hooks = hooks;
    this.name = `${PROVIDER}:${config.model}`;
    this.endpoint = new JsonEndpoint(PROVIDER, `${config.baseUrl.replace(/\/$/, '')}/chat/completions`, config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {});
  }

  warm(): void {
    this.endpoint.warm();
  }

  /** `{…, "messages":` for this tool list; the request's messages and `}` complete it. */
  private bodyStart(tools: readonly ToolDefinition[]): string {
    let start = this.bodyStarts.get(tools);
    if (start === undefined) {
      const fixed: Omit<ChatRequest, 'messages'> = { model: this.config.model, stream: true };
      if (tools.length > 0) fixed.tools = toChatTools(tools);
      if (this.config.temperature !== undefined) fixed.temperature = this.config.temperature;
      start = `${JSON.stringify(fixed).slice(0, -1)},"messages":`;
      this.bodyStarts.set(tools, start);
    }
    return start;
  }

  private messagesJson(messages: readonly ChatMessage[]): string {
    let json = '[';
    for (const [i, message] of messages.entries()) {
      let one = this.messageJson.get(message);
      if (one === undefined) this.messageJson.set(message, (one = JSON.stringify(toRequestMessage(message))));
      json += i === 0 ? one : `,${one}`;
    }
    return `${json}]`;
  }

  async *generate(request: { messages: readonly ChatMessage[]; tools: readonly ToolDefinition[]; signal?: AbortSignal }): AsyncGenerator<LanguageModelChunk> {
    const body = `${this.bodyStart(request.tools)}${this.messagesJson(request.messages)}}`;
    const response = await this.endpoint.post(body, { signal: request.signal, timeoutMs: this.config.timeoutMs });
    // Tool calls stream as fragments keyed by index: name and id first, arguments in pieces.
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    let finished = false;
    for await (const event of serverSentEvents(response.chunks)) {
      if (event.data === '[DONE]') {
        finished = true;
        break;
      }
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        this.hooks.onRejectedInput?.(PROVIDER, 'invalid_json');
        continue;
      }
      const parsed = chatChunk.safeParse(json);
      if (!parsed.success) {
        const error = chatErrorChunk.safeParse(json);
        if (error.success) throw new AiError(PROVIDER, 'provider_error', error.data.error.message ?? 'error in stream');
        this.hooks.onRejectedInput?.(PROVIDER, 'invalid_chunk');
        continue;
      }
      for (const choice of parsed.data.choices) {
        const delta = choice.delta;
        if (delta?.content) yield { type: 'text', text: delta.content };
        for (const [position, fragment] of (delta?.tool_calls ?? []).entries()) {
          // Some servers (older Ollama builds) leave out `index` and send each call whole.
          const index = fragment.index ?? position;
          let call = calls.get(index);
          if (!call) calls.set(index, (call = { id: '', name: '', arguments: '' }));
          if (fragment.id) call.id = fragment.id;
          if (fragment.function?.name) call.name += fragment.function.name;
          if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
        }
        if (choice.finish_reason) finished = true;
      }
    }
    if (!finished && !request.signal?.aborted) throw new AiError(PROVIDER, 'connection_lost', 'stream ended without finish_reason or [DONE]');
    for (const [index, call] of [...calls].sort((a, b) => a[0] - b[0])) {
      if (!call.name) {
        this.hooks.onRejectedInput?.(PROVIDER, 'tool_call_without_name');
        continue;
      }
      const assembled: ToolCallRequest = { callId: call.id || `call-${index}`, name: call.name, arguments: call.arguments };
      yield { type: 'tool_call', call: assembled };
    }
  }
}
