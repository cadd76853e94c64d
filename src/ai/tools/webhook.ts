/**
 * The `lookup` tool: an HTTP webhook described by URL, method, JSON schema of its arguments and a timeout. POST
 * sends `{"tool","callId","arguments"}` as JSON; GET sends the arguments as query parameters. Every request is
 * signed (signature.ts). A JSON answer is the result; any other 2xx text is returned as a string.
 */
import { z } from 'zod';
import type { WebhookToolSpec } from '../../contracts/flows.js';
import type { ToolDefinition } from '../session.js';
import type { ToolHandler, ToolRunner } from './runner.js';
import { signatureHeaders } from './signature.js';

/** Answers larger than this are refused: they would flood the model's context. */
export const MAX_WEBHOOK_RESPONSE_BYTES = 64 * 1024;

export interface WebhookOptions {
  /** The tenant's webhook signing secret. */
  secret: string;
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch;
  now?: () => number;
}

/** The tool definition of a webhook: its JSON schema becomes the zod schema the runner checks arguments with. */
export function webhookToolDefinition(name: string, spec: WebhookToolSpec): ToolDefinition {
  let parameters: z.ZodType;
  try {
    parameters = z.fromJSONSchema(spec.parameters as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    parameters = z.record(z.string(), z.unknown());
  }
  return { name, description: spec.description, parameters };
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WEBHOOK_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      throw new Error(`answer larger than ${MAX_WEBHOOK_RESPONSE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The handler that calls the webhook (the runner supplies the deadline through `ctx.signal`). */
export function webhookHandler(name: string, spec: WebhookToolSpec, options: WebhookOptions): ToolHandler {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  return async (args, ctx) => {
    const url = new URL(spec.url);
    let body: string | undefined;
    let payload: string;
    if (spec.method === 'GET') {
      for (const [key, value] of Object.entries(args)) {
        url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      payload = url.searchParams.toString();
    } else {
      body = JSON.stringify({ tool: name, callId: ctx.callId, arguments: args });
      payload = body;
    }
    const headers: Record<string, string> = { accept: 'application/json', ...signatureHeaders(options.secret, now(), payload) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await doFetch(url, { method: spec.method, headers, ...(body !== undefined ? { body } : {}), signal: ctx.signal, redirect: 'error' });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${response.status} from ${url.host}`);
    }
    const text = await readCapped(response);
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error('answer is not valid JSON');
      }
    }
    return text;
  };
}

/** Registers a webhook tool under `name`, with the spec's timeout. */
export function registerWebhookTool(runner: ToolRunner, name: string, spec: WebhookToolSpec, options: WebhookOptions): ToolRunner {
  return runner.register(webhookToolDefinition(name, spec), webhookHandler(name, spec, options) as ToolHandler<unknown>, { timeoutMs: spec.timeoutMs });
}
