/**
 * Runs tool calls: arguments checked against the tool's zod schema, the handler raced against a deadline, every
 * failure turned into an error result. `run` never throws and never waits past the timeout, so a broken or
 * slow tool answers the model with an error instead of hanging the call.
 */
import type { z } from 'zod';
import type { ToolDefinition } from '../session.js';

export type ToolResult = { ok: true; result: unknown } | { ok: false; error: string };

export interface ToolCall {
  name: string;
  /** Parsed arguments (see `parseToolArguments` in ../tools.ts for providers' raw strings). */
  arguments: unknown;
  callId?: string;
}

export interface ToolContext {
  callId: string;
  /** Aborted at the deadline: pass it to fetch and other I/O. */
  signal: AbortSignal;
}

export type ToolHandler<Args = Record<string, unknown>> = (args: Args, ctx: ToolContext) => unknown;

interface Registered {
  definition: ToolDefinition;
  handler: ToolHandler<never>;
  timeoutMs: number;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 10_000;

export class ToolRunner {
  private readonly tools = new Map<string, Registered>();
  private readonly defaultTimeoutMs: number;

  constructor(options: { defaultTimeoutMs?: number } = {}) {
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  }

  /** Adds (or replaces) a tool; its handler receives the arguments as the schema parsed them. */
  register<D extends ToolDefinition>(definition: D, handler: ToolHandler<z.output<D['parameters']>>, options: { timeoutMs?: number } = {}): this {
    this.tools.set(definition.name, { definition, handler: handler as ToolHandler<never>, timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs });
    return this;
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  /** The definitions to give a provider session (`AiSessionOptions.tools`), optionally only the named ones. */
  definitions(names?: readonly string[]): ToolDefinition[] {
    const all = [...this.tools.values()].map((t) => t.definition);
    return names ? all.filter((d) => names.includes(d.name)) : all;
  }

  /** Executes one call; resolves `{ok, result}` or `{ok: false, error}` within the tool's timeout. */
  async run(call: ToolCall): Promise<ToolResult> {
    const tool = this.tools.get(call.name);
    if (!tool) return { ok: false, error: `unknown tool ${call.name}` };
    const parsed = tool.definition.parameters.safeParse(call.arguments ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
      return { ok: false, error: `invalid arguments for ${call.name}: ${detail}` };
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<ToolResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error('timeout'));
        resolve({ ok: false, error: `${call.name} timed out after ${tool.timeoutMs} ms` });
      }, tool.timeoutMs);
    });
    const work = (async (): Promise<ToolResult> => {
      try {
        const result = await tool.handler(parsed.data as never, { callId: call.callId ?? '', signal: controller.signal });
        return { ok: true, result: result ?? null };
      } catch (err) {
        return { ok: false, error: `${call.name} failed: ${err instanceof Error ? err.message : String(err)}` };
      }
    })();
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
