import { afterEach, describe, expect, it } from 'vitest';
import { LocalFlowAgent, type FlowContinuation } from '../../src/ai/agents/local-flow-agent.js';
import type { ChatMessage, LanguageModel } from '../../src/ai/cascade/stages.js';
import { FlowRunner, type FlowAction, type FlowState } from '../../src/ai/flows/index.js';
import { flowDefinitionSchema } from '../../src/contracts/flows.js';
import { MemoryBus } from '../../src/infra/bus.js';
import { TokenSigner } from '../../src/infra/tokens.js';
import { chatContinuation, parseFlowState } from '../../src/widget/continuity.js';
import { Conversations } from '../../src/widget/conversation.js';
import { contactConversation } from '../../src/widget/prior-conversation.js';
import { liveCall, until } from '../ai-agents/support.js';

/**
 * One contact across channels, the same flow: a call picks the chat up at its step ("Picking up from our chat."
 * and the step's question), hands its state back as it goes, and a chat after a call has the call's words as context.
 */

const en = (text: string) => ({ 'en-US': text });
const NOW = Date.UTC(2025, 0, 15, 14, 0);
const ORDER = flowDefinitionSchema.parse({
  id: 'order', name: 'Order', languages: ['en-US'], start: 'hi', timeZone: 'America/New_York',
  slots: { count: { type: 'number', min: 1, max: 9 }, ok: { type: 'yes_no' } },
  steps: {
    hi: { type: 'say', text: en('Hello, thanks for calling.'), next: 'how_many' },
    how_many: { type: 'ask', prompt: en('How many boxes?'), slot: 'count', next: 'confirm', onNoMatch: 'bye' },
    confirm: { type: 'ask', prompt: en('{{count}} boxes. Shall I order them?'), slot: 'ok', next: 'done', onNoMatch: 'bye' },
    done: { type: 'end', text: en('Ordered.'), reason: 'ordered' },
    bye: { type: 'end', text: en('Goodbye.') },
  },
});
const OPEN = flowDefinitionSchema.parse({
  id: 'open', name: 'Open', languages: ['en-US'], start: 'chat', timeZone: 'America/New_York',
  steps: {
    chat: { type: 'llm', instructions: en('Help with orders.'), maxTurns: 3, next: 'bye' },
    bye: { type: 'end', text: en('Goodbye.') },
  },
});
const said = (actions: FlowAction[]) => actions.flatMap((a) => (a.type === 'say' ? [a.text] : []));
const NO_SPEECH = async () => ({ asr: { available: false as const, reason: 'not installed' }, tts: { available: false as const }, vad: { available: true as const } });

/** The chat's flow state after the visitor said how many. */
function chatAtConfirm(): FlowState {
  const r = new FlowRunner(ORDER, { now: () => NOW });
  return r.advance(r.start().state, { type: 'text', text: 'three' }).state;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const done of cleanup.reverse()) await done();
  cleanup = [];
});

describe('FlowRunner.resume', () => {
  it('asks the step again after the flow\'s resume phrase, keeping slots and transcript, and goes on from there', () => {
    const r = new FlowRunner(ORDER, { now: () => NOW });
    const chat = chatAtConfirm();
    const resumed = r.resume(chat)!;
    expect(said(resumed.actions)).toEqual(['Picking up from our chat. 3 boxes. Shall I order them?']);
    expect(resumed.actions.map((a) => a.type)).toEqual(['say', 'listen']);
    expect(resumed.state).toMatchObject({ step: 'confirm', waiting: 'input', slots: { count: 3 }, attempts: 0 });
    expect(resumed.state.transcript.slice(0, -1)).toEqual(chat.transcript);
    expect(chat.transcript.at(-1)?.text).not.toContain('Picking up'); // the chat's state is not changed
    // The conversation across channels, when given, is the context instead of the chat's own lines.
    const across = r.resume(chat, { transcript: [{ speaker: 'caller', text: 'Three boxes please' }] })!;
    expect(across.state.transcript).toEqual([{ speaker: 'caller', text: 'Three boxes please' }, { speaker: 'agent', text: 'Picking up from our chat. 3 boxes. Shall I order them?' }]);
    const next = r.advance(resumed.state, { type: 'dtmf', digits: '1' });
    expect(said(next.actions)).toEqual(['Ordered.']);
    expect(next.state.ended).toEqual({ reason: 'ordered' });
  });

  it('answers null when the state cannot go on here: another flow, ended, busy, a step that is gone', () => {
    const r = new FlowRunner(ORDER);
    const chat = chatAtConfirm();
    expect(r.resume({ ...chat, flowId: 'other' })).toBeNull();
    expect(r.resume({ ...chat, ended: { reason: 'ordered' }, waiting: null })).toBeNull();
    expect(r.resume({ ...chat, waiting: 'tool' })).toBeNull();
    expect(r.resume({ ...chat, step: 'removed' })).toBeNull();
  });

  it('an llm step repeats the agent\'s last words', () => {
    const r = new FlowRunner(OPEN);
    const started = r.start();
    const waiting = r.advance(started.state, { type: 'llm_reply', text: 'Which order number is it?' }).state;
    const resumed = r.resume(waiting)!;
    expect(said(resumed.actions)).toEqual(['Picking up from our chat. Which order number is it?']);
    expect(resumed.state.waiting).toBe('input');
  });
});

describe('a flow call continuing a chat', () => {
  function continuation(state: FlowState | null, accept = true) {
    const saved: FlowState[] = [];
    const c: FlowContinuation = { state, save: async (s) => { saved.push(s); return accept; } };
    return { c, saved };
  }

  it('resumes at the chat\'s step instead of greeting, and hands each settled state back', async () => {
    const { c, saved } = continuation(chatAtConfirm());
    const agent = new LocalFlowAgent({ flow: ORDER, synthesizer: null, speech: NO_SPEECH, continuation: async () => c, runner: { now: () => NOW } });
    const { journal, session, leg } = await liveCall(agent);
    cleanup.push(() => session.end('completed', 'test-over', 'platform'));
    await until(() => journal.turns.some((t) => t.speaker === 'agent'), 'the first words', { play: leg });
    expect(journal.turns.find((t) => t.speaker === 'agent')?.text).toBe('Picking up from our chat. 3 boxes. Shall I order them?');
    expect(journal.turns.some((t) => t.text.includes('thanks for calling'))).toBe(false);
    expect(journal.events.find((e) => e.type === 'flow.started')?.data).toMatchObject({ resumedAt: 'confirm' });
    leg.press('1');
    await until(() => saved.length > 0 && leg.hungUp !== null, 'the hand-back and the end', { play: leg, timeoutMs: 15_000 });
    expect(saved.at(-1)).toMatchObject({ ended: { reason: 'ordered' }, slots: { count: 3, ok: true } });
  });

  it('starts from the beginning (greeting) when the chat ran another flow, and leaves that chat alone', async () => {
    const { c, saved } = continuation({ ...chatAtConfirm(), flowId: 'billing' });
    const agent = new LocalFlowAgent({ flow: ORDER, synthesizer: null, speech: NO_SPEECH, continuation: async () => c, runner: { now: () => NOW } });
    const { journal, session, leg } = await liveCall(agent);
    cleanup.push(() => session.end('completed', 'test-over', 'platform'));
    await until(() => journal.turns.filter((t) => t.speaker === 'agent').length >= 2, 'the greeting and the question', { play: leg });
    expect(journal.turns.filter((t) => t.speaker === 'agent').map((t) => t.text)).toEqual(['Hello, thanks for calling.', 'How many boxes?']);
    leg.press('4');
    await until(() => journal.turns.some((t) => t.text.includes('4 boxes')), 'the next step', { play: leg });
    await session.end('completed', 'test-over', 'platform');
    expect(saved).toEqual([]);
  });

  it('a finished chat: the call starts afresh and its progress becomes the chat\'s; a refused save stops handing back', async () => {
    const r = new FlowRunner(ORDER);
    const ended = r.advance(chatAtConfirm(), { type: 'dtmf', digits: '1' }).state;
    const { c, saved } = continuation(ended, false);
    const agent = new LocalFlowAgent({ flow: ORDER, synthesizer: null, speech: NO_SPEECH, continuation: async () => c });
    const { journal, session, leg } = await liveCall(agent);
    cleanup.push(() => session.end('completed', 'test-over', 'platform'));
    await until(() => journal.turns.some((t) => t.text === 'How many boxes?'), 'the flow from its start', { play: leg });
    leg.press('2');
    await until(() => journal.events.some((e) => e.type === 'flow.handback_stopped'), 'the refused hand-back', { play: leg });
    leg.press('1');
    await until(() => leg.hungUp !== null, 'the end', { play: leg });
    expect(saved).toHaveLength(1); // refused once: the chat moved on, the call stops writing
  });

  it('a failing continuation does not fail the call', async () => {
    const agent = new LocalFlowAgent({ flow: ORDER, synthesizer: null, speech: NO_SPEECH, continuation: async () => { throw new Error('database away'); } });
    const { journal, session, leg } = await liveCall(agent);
    cleanup.push(() => session.end('completed', 'test-over', 'platform'));
    await until(() => journal.turns.some((t) => t.text === 'How many boxes?'), 'the flow from its start', { play: leg });
    expect(journal.events.find((e) => e.type === 'flow.continuation_unavailable')?.data).toMatchObject({ error: 'database away' });
  });
});

/** An in-memory stand-in for the widget and call-timeline repositories (the few methods these modules use). */
function memoryRepos() {
  let seq = 0;
  const contacts = new Map<string, { id: string; tenantId: string; flowState: Record<string, unknown> | null; createdAt: Date }>();
  const messages: { seq: number; id: string; tenantId: string; contactId: string; clientId: string | null; author: string; text: string; channel: string; createdAt: Date }[] = [];
  const calls: { id: string; contactId: string; state: string; startedAt: Date; endedAt: Date | null }[] = [];
  const segments = new Map<string, { speaker: string; text: string; startMs: number; endMs: number }[]>();
  const repos = {
    widget: {
      contact: async (_t: string, id: string) => structuredClone(contacts.get(id) ?? null),
      createContact: async (tenantId: string) => {
        const row = { id: `k${contacts.size + 1}`, tenantId, flowState: null, createdAt: new Date() };
        contacts.set(row.id, row);
        return structuredClone(row);
      },
      saveFlowState: async (_t: string, id: string, flowState: Record<string, unknown> | null) => { contacts.get(id)!.flowState = structuredClone(flowState); },
      appendMessage: async (input: { tenantId: string; contactId: string; clientId: string | null; author: string; text: string; channel: string }) => {
        const existing = input.clientId ? messages.find((m) => m.contactId === input.contactId && m.clientId === input.clientId) : undefined;
        if (existing) return { row: existing, created: false };
        const row = { ...input, seq: ++seq, id: `m${seq}`, createdAt: new Date(Date.now() + seq) };
        messages.push(row);
        return { row, created: true };
      },
      messages: async (_t: string, contactId: string, afterSeq = 0) => messages.filter((m) => m.contactId === contactId && m.seq > afterSeq),
      contactCalls: async (_t: string, contactId: string) => calls.filter((c) => c.contactId === contactId),
      recentChat: async (_t: string, contactId: string, o: { limit: number; beforeSeq?: number | undefined }) => messages
        .filter((m) => m.contactId === contactId && m.channel === 'chat' && ['visitor', 'agent'].includes(m.author) && m.text.trim() && (o.beforeSeq === undefined || m.seq < o.beforeSeq))
        .slice(-o.limit),
      recentCallLines: async (_t: string, contactId: string, o: { limit: number; excludeCall?: string | undefined }) => calls
        .filter((c) => c.contactId === contactId && c.id !== o.excludeCall)
        .flatMap((c) => (segments.get(c.id) ?? []).map((s) => ({ callId: c.id, speaker: s.speaker, text: s.text, at: new Date(c.startedAt.getTime() + s.startMs) })))
        .filter((l) => l.text.trim()).sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-o.limit),
    },
    callTimeline: { segments: async (_t: string, callId: string) => segments.get(callId) ?? [] },
  };
  const addCall = (contactId: string, lines: { speaker: string; text: string; startMs: number }[]) => {
    const id = `call-${calls.length + 1}`;
    calls.push({ id, contactId, state: 'completed', startedAt: new Date(Date.now() + ++seq), endedAt: new Date() });
    segments.set(id, lines.map((l) => ({ ...l, endMs: l.startMs + 500 })));
    return id;
  };
  return { repos, addCall, contacts, messages };
}

describe('a chat after a call', () => {
  const KEY = { id: 'wk1', tenantId: 't1', flow: 'open', key: 'wk_test', name: 'test', allowedOrigins: [], createdBy: null, createdAt: new Date(), revokedAt: null };

  it('runs its flow with the call\'s words as context, in the order they were said', async () => {
    const seen: ChatMessage[][] = [];
    const llm: LanguageModel = {
      name: 'recorder',
      async *generate(request) { seen.push([...request.messages]); yield { type: 'text', text: 'Order 42 ships tomorrow.' }; },
    };
    const { repos, addCall } = memoryRepos();
    const conversations = new Conversations(repos as never, new MemoryBus(), new TokenSigner('k'.repeat(32)), { loadFlow: async () => OPEN, llm });
    const { contact } = await conversations.open(KEY as never, undefined);
    await conversations.visitorMessage(KEY as never, contact, 'c-1', 'Hi there');
    addCall(contact.id, [
      { speaker: 'agent', text: 'Picking up from our chat. How can I help?', startMs: 0 },
      { speaker: 'caller', text: 'My order number is 42', startMs: 2000 },
      { speaker: 'human', text: 'I will check order 42', startMs: 4000 },
    ]);
    await conversations.visitorMessage(KEY as never, contact, 'c-2', 'So when does it ship?');
    const last = seen.at(-1)!.filter((m) => m.role !== 'system').map((m) => `${m.role}: ${m.content as string}`);
    expect(last).toEqual([
      'assistant: Order 42 ships tomorrow.',
      'user: Hi there',
      'assistant: Order 42 ships tomorrow.',
      'assistant: Picking up from our chat. How can I help?',
      'user: My order number is 42',
      'assistant: I will check order 42',
      'user: So when does it ship?',
    ]);
  });

  it('the contact\'s conversation merges chat and calls by time and leaves out what is being answered', async () => {
    const { repos, addCall } = memoryRepos();
    const contact = await repos.widget.createContact('t1');
    await repos.widget.appendMessage({ tenantId: 't1', contactId: contact.id, clientId: null, author: 'agent', text: 'How can I help?', channel: 'chat' });
    addCall(contact.id, [{ speaker: 'caller', text: 'Book me in', startMs: 0 }]);
    const { row } = await repos.widget.appendMessage({ tenantId: 't1', contactId: contact.id, clientId: 'x', author: 'visitor', text: 'Thanks', channel: 'chat' });
    expect(await contactConversation(repos as never, 't1', contact.id)).toEqual([
      { role: 'agent', text: 'How can I help?' }, { role: 'caller', text: 'Book me in' }, { role: 'caller', text: 'Thanks' },
    ]);
    expect(await contactConversation(repos as never, 't1', contact.id, { beforeSeq: row.seq })).toHaveLength(2);
  });
});

describe('the stored chat state', () => {
  it('is checked before it is resumed, and handed back only while the chat has not moved on', async () => {
    expect(parseFlowState({ v: 1, step: 'x' })).toBeNull();
    expect(parseFlowState(chatAtConfirm())).not.toBeNull();
    const { repos } = memoryRepos();
    const contact = await repos.widget.createContact('t1');
    await repos.widget.saveFlowState('t1', contact.id, chatAtConfirm() as never);
    expect(await chatContinuation(repos as never, { tenantId: 't1', metadata: {} })).toBeNull();
    const c = (await chatContinuation(repos as never, { tenantId: 't1', metadata: { contactId: contact.id } }))!;
    expect(c.state?.step).toBe('confirm');
    const next = { ...chatAtConfirm(), step: 'done' };
    expect(await c.save(next)).toBe(true);
    expect(await c.save({ ...next, seq: 5 })).toBe(true); // its own write is not someone else's
    await repos.widget.saveFlowState('t1', contact.id, { ...next, step: 'how_many' } as never); // the visitor chatted meanwhile
    expect(await c.save(next)).toBe(false);
  });
});
