import { afterEach, describe, expect, it } from 'vitest';
import { LocalFlowAgent } from '../../src/ai/agents/local-flow-agent.js';
import { createAiSession } from '../../src/ai/agents/provider.js';
import { ProviderAgent } from '../../src/ai/agents/provider-agent.js';
import type { ChatMessage, LanguageModel } from '../../src/ai/cascade/stages.js';
import { flowDefinitionSchema } from '../../src/contracts/flows.js';
import { chatTurns, priorConversation } from '../../src/widget/prior-conversation.js';
import { liveCall, until } from '../ai-agents/support.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';

/** One contact across channels: the chat so far becomes a call's prior conversation, for flows and providers alike. */

const CHAT = [
  { author: 'agent', text: 'How can I help you today?' },
  { author: 'visitor', text: 'Do you open on Saturdays?' },
  { author: 'system', text: 'Handing over to queue:front_desk' },
  { author: 'agent', text: ' Yes, from nine to one. ' },
  { author: 'visitor', text: '   ' },
];

const en = (text: string) => ({ 'en-US': text });
const ASK_FIRST = flowDefinitionSchema.parse({
  id: 'front-desk', name: 'Front desk', languages: ['en-US'], start: 'chat', timeZone: 'America/New_York',
  steps: {
    chat: { type: 'llm', instructions: en('Answer questions about opening hours.'), maxTurns: 1, next: 'bye' },
    bye: { type: 'end', text: en('Goodbye.') },
  },
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const done of cleanup.reverse()) await done();
  cleanup = [];
});

describe('prior conversation', () => {
  it('maps chat messages to turns: visitor → caller, replies → agent, system notes and blanks left out, the most recent kept', () => {
    expect(chatTurns(CHAT)).toEqual([
      { role: 'agent', text: 'How can I help you today?' },
      { role: 'caller', text: 'Do you open on Saturdays?' },
      { role: 'agent', text: 'Yes, from nine to one.' },
    ]);
    expect(chatTurns(CHAT, 1)).toEqual([{ role: 'agent', text: 'Yes, from nine to one.' }]);
  });

  it('reads the chat of the call\'s contact only (other calls have none)', async () => {
    const asked: string[] = [];
    const repos = {
      widget: {
        recentChat: async (_tenant: string, contact: string) => {
          asked.push(contact);
          return CHAT.filter((m) => m.author !== 'system' && m.text.trim()).map((m, i) => ({ ...m, seq: i + 1, channel: 'chat', createdAt: new Date(1000 + i) }));
        },
        recentCallLines: async () => [],
      },
    };
    expect(await priorConversation(repos as never, { tenantId: 't1', metadata: {} })).toEqual([]);
    expect(await priorConversation(repos as never, { tenantId: 't1' })).toEqual([]);
    expect(await priorConversation(repos as never, { tenantId: 't1', metadata: { contactId: 'k1' } })).toHaveLength(3);
    expect(asked).toEqual(['k1']);
  });

  it('a flow call starts with it: the llm step\'s model sees the chat, and flow.started says so', async () => {
    const seen: ChatMessage[][] = [];
    const llm: LanguageModel = {
      name: 'recorder',
      async *generate(request) { seen.push([...request.messages]); yield { type: 'text', text: 'Yes, Saturdays from nine.' }; },
    };
    const agent = new LocalFlowAgent({
      flow: ASK_FIRST, synthesizer: null, llm, history: async () => chatTurns(CHAT),
      speech: async () => ({ asr: { available: false, reason: 'not installed' }, tts: { available: false }, vad: { available: true } }),
    });
    const { journal, session } = await liveCall(agent);
    cleanup.push(() => session.end('completed', 'test-over', 'platform'));
    await until(() => seen.length > 0, 'the model to be asked');
    expect(seen[0]!.filter((m) => m.role !== 'system').slice(0, 3)).toEqual([
      { role: 'assistant', content: 'How can I help you today?' },
      { role: 'user', content: 'Do you open on Saturdays?' },
      { role: 'assistant', content: 'Yes, from nine to one.' },
    ]);
    expect(journal.events.find((e) => e.type === 'flow.started')?.data).toMatchObject({ priorTurns: 3 });
  });

  it('a history that fails to load does not fail the call', async () => {
    const agent = new LocalFlowAgent({
      flow: ASK_FIRST, synthesizer: null, history: async () => { throw new Error('database away'); },
      speech: async () => ({ asr: { available: false, reason: 'not installed' }, tts: { available: false }, vad: { available: true } }),
    });
    const { journal, session } = await liveCall(agent);
    cleanup.push(() => session.end('completed', 'test-over', 'platform'));
    await until(() => journal.events.some((e) => e.type === 'flow.started'), 'the flow to start');
    expect(journal.events.find((e) => e.type === 'flow.history_unavailable')?.data).toMatchObject({ error: 'database away' });
  });

  it('a provider call starts its session with it (OpenAI Realtime: conversation items before the greeting)', async () => {
    const fake = await new FakeOpenAiRealtime({ script: { turns: [] } }).start();
    cleanup.push(() => fake.close());
    const agent = new ProviderAgent({
      session: () => createAiSession({ kind: 'openai', url: fake.url, key: 'test-key' }), instructions: 'Be brief.', history: async () => chatTurns(CHAT),
    });
    const { session } = await liveCall(agent);
    cleanup.push(() => session.end('completed', 'test-over', 'platform'));
    await until(() => fake.sent('conversation.item.create').length >= 3, 'the history items');
    expect(fake.sent('conversation.item.create').map((e) => e.item)).toEqual([
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'How can I help you today?' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Do you open on Saturdays?' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Yes, from nine to one.' }] },
    ]);
  });
});
