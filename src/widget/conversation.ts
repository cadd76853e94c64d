/**
 * One contact's conversation: opening (new or resumed contact, signed contact token), visitor messages deduped by
 * their client id, the flow's replies persisted and announced on the bus so every socket of the contact (on any
 * instance) sends what it has not sent yet.
 */
import { randomUUID } from 'node:crypto';
import type { LanguageModel } from '../ai/cascade/stages.js';
import type { TranscriptLine } from '../ai/flows/index.js';
import type { FlowDefinition } from '../contracts/flows.js';
import type { ContactTimeline, ConversationMessage } from '../contracts/widget.js';
import type { Bus } from '../infra/bus.js';
import type { TokenSigner } from '../infra/tokens.js';
import type { Repositories } from '../store/index.js';
import type { ContactRow, MessageRow, WidgetKeyRow } from '../store/repositories/widget.js';
import { ChatEngine, type ChatTurn } from './chat-engine.js';
import { parseFlowState } from './continuity.js';
import { contactConversation } from './prior-conversation.js';

export const CONTACT_TOKEN_AUDIENCE = 'widget-contact';
/** A visitor keeps their conversation for a year on the same browser. */
const CONTACT_TOKEN_MS = 365 * 24 * 3600_000;
export const MESSAGE_EVENT = 'conversation.message';

export function toMessage(row: MessageRow): ConversationMessage {
  return { seq: row.seq, id: row.id, clientId: row.clientId, author: row.author as ConversationMessage['author'], text: row.text, channel: row.channel, at: row.createdAt.toISOString() };
}

export interface ConversationOptions {
  loadFlow: (tenantId: string, ref: string) => Promise<FlowDefinition | null>;
  llm?: LanguageModel | null;
  webhookSecret?: string;
}

export class Conversations {
  /** Turns of one contact run one after another (on this instance), so flow state is never raced. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly repos: Pick<Repositories, 'widget' | 'callTimeline'>,
    private readonly bus: Bus,
    private readonly signer: TokenSigner,
    private readonly options: ConversationOptions,
  ) {}

  /** The contact a signed token names (same tenant as the key), else a new one; a new contact gets the greeting. */
  async open(key: WidgetKeyRow, token: string | undefined): Promise<{ contact: ContactRow; token: string; resumed: boolean }> {
    let contact: ContactRow | null = null;
    if (token) {
      const verdict = this.signer.verify(token, CONTACT_TOKEN_AUDIENCE);
      if (verdict.ok && verdict.claims.tenantId === key.tenantId) contact = await this.repos.widget.contact(key.tenantId, verdict.claims.sub);
    }
    const resumed = contact !== null;
    contact ??= await this.repos.widget.createContact(key.tenantId, key.id);
    const signed = this.signer.sign({ aud: CONTACT_TOKEN_AUDIENCE, sub: contact.id, tenantId: key.tenantId, exp: Date.now() + CONTACT_TOKEN_MS });
    if (!resumed) await this.serial(contact.id, async () => this.apply(contact, (await this.engine(key)).start()));
    return { contact, token: signed, resumed };
  }

  /** The contact a signed token names, when it belongs to the key's tenant. */
  async contactFor(key: WidgetKeyRow, token: string): Promise<ContactRow | null> {
    const verdict = this.signer.verify(token, CONTACT_TOKEN_AUDIENCE);
    if (!verdict.ok || verdict.claims.tenantId !== key.tenantId) return null;
    return this.repos.widget.contact(key.tenantId, verdict.claims.sub);
  }

  /** Stores the visitor's message once per client id; only a new one is answered by the flow. */
  async visitorMessage(key: WidgetKeyRow, contact: ContactRow, clientId: string, text: string): Promise<MessageRow> {
    return this.serial(contact.id, async () => {
      const { row, created } = await this.repos.widget.appendMessage({ tenantId: key.tenantId, contactId: contact.id, clientId, author: 'visitor', text, channel: 'chat' });
      if (!created) return row;
      await this.announce(key.tenantId, contact.id, row.seq);
      const fresh = await this.repos.widget.contact(key.tenantId, contact.id);
      let state = parseFlowState(fresh?.flowState ?? null);
      // After a call the flow's context is the whole conversation, chat and calls in order (for `llm` steps).
      const transcript = await this.acrossChannels(key.tenantId, contact.id, row.seq);
      if (state && transcript) state = { ...state, transcript };
      await this.apply(contact, (await this.engine(key, transcript)).text(state, text));
      return row;
    });
  }

  history(tenantId: string, contactId: string, afterSeq: number): Promise<MessageRow[]> {
    return this.repos.widget.messages(tenantId, contactId, afterSeq);
  }

  async timeline(tenantId: string, contactId: string): Promise<ContactTimeline | null> {
    const contact = await this.repos.widget.contact(tenantId, contactId);
    if (!contact) return null;
    const [messages, calls] = await Promise.all([this.repos.widget.messages(tenantId, contactId, 0, 10_000), this.repos.widget.contactCalls(tenantId, contactId)]);
    // One timeline: each call carries its transcript, so the agent reads the chat and what was said on the phone together.
    const transcripts = await Promise.all(calls.map((c) => this.repos.callTimeline.segments(tenantId, c.id)));
    const entries: ContactTimeline['entries'] = [
      ...messages.map((m) => ({ kind: 'message' as const, at: m.createdAt.toISOString(), message: toMessage(m) })),
      ...calls.map((c, i) => ({ kind: 'call' as const, at: c.startedAt.toISOString(), call: {
        id: c.id, state: c.state, startedAt: c.startedAt.toISOString(), endedAt: c.endedAt?.toISOString() ?? null,
        transcript: (transcripts[i] ?? []).map((t) => ({ speaker: t.speaker, text: t.text, startMs: t.startMs, endMs: t.endMs })),
      } })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return { contactId, createdAt: contact.createdAt.toISOString(), entries };
  }

  private async engine(key: WidgetKeyRow, transcript?: TranscriptLine[] | null): Promise<ChatEngine> {
    const flow = await this.options.loadFlow(key.tenantId, key.flow);
    if (!flow) throw new Error(`widget flow ${key.flow} is not published`);
    return new ChatEngine(flow, {
      llm: this.options.llm ?? null, ...(this.options.webhookSecret ? { webhookSecret: this.options.webhookSecret } : {}), ...(transcript ? { transcript } : {}),
    });
  }

  /** The contact's chat (before message `beforeSeq`) and calls as flow transcript lines; null when it never called. */
  private async acrossChannels(tenantId: string, contactId: string, beforeSeq: number): Promise<TranscriptLine[] | null> {
    if (!(await this.repos.widget.contactCalls(tenantId, contactId)).length) return null;
    const turns = await contactConversation(this.repos, tenantId, contactId, { beforeSeq });
    return turns.flatMap((t) => (t.role === 'tool' ? [] : [{ speaker: t.role, text: t.text }]));
  }

  private async apply(contact: ContactRow, pending: Promise<ChatTurn>): Promise<void> {
    const turn = await pending;
    await this.repos.widget.saveFlowState(contact.tenantId, contact.id, turn.state as unknown as Record<string, unknown>);
    const lines = [...turn.replies];
    if (turn.outcome?.type === 'transfer') lines.push({ author: 'system', text: `Handing over to ${turn.outcome.to}` });
    if (turn.outcome?.type === 'end') lines.push({ author: 'system', text: 'Conversation ended' });
    for (const line of lines) {
      const { row } = await this.repos.widget.appendMessage({ tenantId: contact.tenantId, contactId: contact.id, clientId: null, author: line.author, text: line.text, channel: 'chat' });
      await this.announce(contact.tenantId, contact.id, row.seq);
    }
  }

  private async announce(tenantId: string, contactId: string, seq: number): Promise<void> {
    await this.bus.publish({ id: randomUUID(), type: MESSAGE_EVENT, tenantId, at: new Date().toISOString(), data: { contactId, seq } });
  }

  private serial<T>(contactId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(contactId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    this.chains.set(contactId, next);
    void next.catch(() => {}).finally(() => { if (this.chains.get(contactId) === next) this.chains.delete(contactId); });
    return next;
  }
}
