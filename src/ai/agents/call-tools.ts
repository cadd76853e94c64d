/** The tools one call's agent may use: the built-ins acting on the call, and the flow's or tenant's webhooks. */
import type { AgentContext } from '../../call/agent.js';
import type { WebhookToolSpec } from '../../contracts/flows.js';
import { registerCallTools, registerWebhookTool, ToolRunner } from '../tools/index.js';
import { dtmfAudio } from './audio.js';

export interface CallToolOptions {
  /** Webhook tools by name (the `lookup` kind: URL, method, schema, timeout). */
  webhooks?: Record<string, WebhookToolSpec>;
  /** Signs webhook requests; without it webhooks are still called, signed with an empty secret. */
  webhookSecret?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Waits until the agent audio queued so far has played (so a goodbye is heard before hangup or transfer). */
  drain?: () => Promise<void>;
}

export function callToolRunner(ctx: AgentContext, options: CallToolOptions = {}): ToolRunner {
  const runner = new ToolRunner(options.timeoutMs !== undefined ? { defaultTimeoutMs: options.timeoutMs } : {});
  const drain = options.drain ?? (async () => {});
  registerCallTools(runner, {
    transfer: async (to, summary) => {
      ctx.event('ai.transfer', { to, ...(summary ? { summary } : {}) });
      await drain();
      await ctx.transfer(to);
    },
    hangup: async (reason) => {
      await drain();
      await ctx.hangup(reason);
    },
    sendDtmf: async (digits) => {
      ctx.play(dtmfAudio(digits, ctx.outputFormat));
      ctx.event('ai.dtmf_sent', { digits });
    },
  });
  for (const [name, spec] of Object.entries(options.webhooks ?? {})) {
    registerWebhookTool(runner, name, spec, { secret: options.webhookSecret ?? '', ...(options.fetch ? { fetch: options.fetch } : {}) });
  }
  return runner;
}

/** Resolves once playback reaches this point (or is cleared), or after `maxMs`. */
export function drainer(ctx: AgentContext, maxMs = 10_000): () => Promise<void> {
  let n = 0;
  return () => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, maxMs);
    ctx.mark(`ai-drain-${++n}`, () => { clearTimeout(timer); resolve(); });
  });
}
