/**
 * A widget call continues its contact's chat flow, and the chat continues the call's: the call's flow agent
 * resumes at the chat's step with its slots ("Picking up from our chat." and the step's question again), and
 * hands its flow state back as it goes, so a visitor who returns to the chat goes on from where the call left.
 */
import { z } from 'zod';
import type { FlowContinuation } from '../ai/agents/local-flow-agent.js';
import type { FlowState } from '../ai/flows/index.js';
import type { AgentSpec } from '../call/agent.js';
import type { Repositories } from '../store/index.js';

/** The stored chat state is JSON from the database: checked before a flow runner trusts it. */
const storedFlowState = z.looseObject({
  v: z.literal(1),
  flowId: z.string(),
  language: z.string(),
  step: z.string(),
  waiting: z.enum(['input', 'tool', 'llm']).nullable(),
  ended: z.object({ reason: z.string(), transferTo: z.string().optional() }).nullable(),
  slots: z.record(z.string(), z.unknown()),
  partial: z.record(z.string(), z.unknown()),
  attempts: z.number(),
  intent: z.string().nullable(),
  turns: z.number(),
  toolCallId: z.string().nullable(),
  transcript: z.array(z.object({ speaker: z.enum(['caller', 'agent']), text: z.string() })),
  seq: z.number(),
});

export function parseFlowState(raw: unknown): FlowState | null {
  return storedFlowState.safeParse(raw).success ? (raw as FlowState) : null;
}

/** JSON with object keys sorted: the database (jsonb) does not keep key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** The chat a widget call continues (its metadata names the contact), or null for other calls. */
export async function chatContinuation(repos: Pick<Repositories, 'widget'>, spec: Pick<AgentSpec, 'tenantId' | 'metadata'>): Promise<FlowContinuation | null> {
  const contactId = spec.metadata?.['contactId'];
  if (typeof contactId !== 'string') return null;
  const contact = await repos.widget.contact(spec.tenantId, contactId);
  if (!contact) return null;
  let seen = canonical(contact.flowState);
  return {
    state: parseFlowState(contact.flowState),
    save: async (state) => {
      // The visitor may have typed in the chat during the call: the chat's own newer state wins.
      const now = await repos.widget.contact(spec.tenantId, contactId);
      if (!now || canonical(now.flowState) !== seen) return false;
      await repos.widget.saveFlowState(spec.tenantId, contactId, state as unknown as Record<string, unknown>);
      seen = canonical(state);
      return true;
    },
  };
}
