/**
 * One contact across channels: what was said so far, in the chat and on the contact's calls, in order, as AI
 * conversation turns. A widget call starts with it (the AI session's `history`, the flow's transcript), and the
 * chat's flow reads it after a call, so the visitor does not have to repeat themselves on either side.
 */
import type { ConversationTurn } from '../ai/session.js';
import type { AgentSpec } from '../call/agent.js';
import type { Repositories } from '../store/index.js';
import type { MessageRow } from '../store/repositories/widget.js';

/** The most recent turns kept (the flow keeps 40 lines; providers get the same). */
export const PRIOR_TURNS = 40;

/** Chat messages as conversation turns: the visitor is the caller, the flow's replies the agent; system notes are left out. */
export function chatTurns(messages: readonly Pick<MessageRow, 'author' | 'text'>[], limit = PRIOR_TURNS): ConversationTurn[] {
  const turns: ConversationTurn[] = [];
  for (const m of messages) {
    const text = m.text.trim();
    if (!text) continue;
    if (m.author === 'visitor') turns.push({ role: 'caller', text });
    else if (m.author === 'agent') turns.push({ role: 'agent', text });
  }
  return turns.slice(-limit);
}

type Spoken = { at: number; role: 'caller' | 'agent'; text: string };

/**
 * The contact's chat and calls as one conversation, in the order things were said: chat messages at their time,
 * a call's final transcript at its start plus each segment's offset (a person who took the call over speaks as
 * the agent). `beforeSeq`: only chat messages older than that one (the message being answered is not prior).
 * Only the last `limit` of each side are read: the last `limit` of the merge are among them.
 */
export async function contactConversation(
  repos: Pick<Repositories, 'widget'>, tenantId: string, contactId: string,
  options: { beforeSeq?: number; excludeCall?: string; limit?: number } = {},
): Promise<ConversationTurn[]> {
  const limit = options.limit ?? PRIOR_TURNS;
  const [messages, lines] = await Promise.all([
    repos.widget.recentChat(tenantId, contactId, { limit, beforeSeq: options.beforeSeq }),
    repos.widget.recentCallLines(tenantId, contactId, { limit, excludeCall: options.excludeCall }),
  ]);
  const spoken: Spoken[] = [];
  for (const m of messages) {
    const [turn] = chatTurns([m]);
    if (turn && turn.role !== 'tool') spoken.push({ at: m.createdAt.getTime(), role: turn.role, text: turn.text });
  }
  for (const line of lines) {
    const text = line.text.trim();
    if (text) spoken.push({ at: line.at.getTime(), role: line.speaker === 'caller' ? 'caller' : 'agent', text });
  }
  // A stable sort: chat messages keep their order, a call's lines theirs.
  spoken.sort((a, b) => a.at - b.at);
  return spoken.map(({ role, text }) => ({ role, text })).slice(-limit);
}

/** The prior conversation of the call an agent is built for: its contact's chat and earlier calls, or nothing for other calls. */
export async function priorConversation(repos: Pick<Repositories, 'widget'>, spec: Pick<AgentSpec, 'tenantId' | 'metadata'> & { callId?: string }): Promise<ConversationTurn[]> {
  const contactId = spec.metadata?.['contactId'];
  if (typeof contactId !== 'string') return [];
  return contactConversation(repos, spec.tenantId, contactId, spec.callId ? { excludeCall: spec.callId } : {});
}
