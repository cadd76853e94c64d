import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPhrase } from '../../src/ai/flows/index.js';
import { LocalFlowAgent } from '../../src/ai/agents/local-flow-agent.js';
import { OpenAiCompatibleChat } from '../../src/ai/openai-compatible/index.js';
import { flowDefinitionSchema, type FlowDefinition } from '../../src/contracts/flows.js';
import { ChatEngine } from '../../src/widget/chat-engine.js';
import { liveCall, until } from '../ai-agents/support.js';
import { FakeOpenAiCompatible } from '../fakes/ai/openai-compatible-server.js';

const NO_MODEL_REPLY = builtInPhrase('en-US', 'noModel');

const en = (text: string) => ({ 'en-US': text });
const NO_SPEECH = async () => ({ asr: { available: false, reason: 'test' }, tts: { available: false, reason: 'test' }, vad: { available: false, reason: 'test' } });

/** The order number by keypad (or typed), then the model helps; a person when it cannot. */
function orderFlow(hookUrl: string): FlowDefinition {
  return flowDefinitionSchema.parse({
    id: 'order-help', name: 'Order help', languages: ['en-US'], start: 'order',
    slots: { order: { type: 'digits', length: 2 } },
    tools: { order_status: { description: 'Look up an order', url: `${hookUrl}/orders`, parameters: { type: 'object', properties: { order: { type: 'string' } } } } },
    steps: {
      order: { type: 'ask', prompt: en('Your order number, please.'), slot: 'order', next: 'help', onNoMatch: 'person' },
      help: { type: 'llm', instructions: en('Help with order {{order}}.'), tools: ['order_status'], next: 'person' },
      person: { type: 'transfer', to: 'queue:support', say: en('I can put you through to a person on our team.') },
    },
  });
}

/** The same `llm` step on a call and in the chat: the same model request, tools and answer; the same fallback. */
describe('llm steps on calls and in chat alike', () => {
  let fake: FakeOpenAiCompatible;
  let hook: Server;
  let flow: FlowDefinition;

  beforeAll(async () => {
    fake = await new FakeOpenAiCompatible({
      script: { turns: [{ caller: '42', agent: 'Let me look that up.', tool: { name: 'order_status', arguments: { order: '42' } }, afterTool: 'Order 42 shipped yesterday.' }] },
    }).start();
    hook = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"shipped"}'); });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    flow = orderFlow(`http://127.0.0.1:${(hook.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('with a model: the call speaks the answer after the tool, as the chat writes it', async () => {
    const llm = new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, model: 'test-model' });
    fake.chatRequests.length = 0;
    const agent = new LocalFlowAgent({ flow, synthesizer: null, llm, speech: NO_SPEECH });
    const { leg, journal, finals } = await liveCall(agent);
    await until(() => finals('agent').some((t) => t.text.includes('order number')), 'the prompt', { play: leg });
    for (const key of ['4', '2']) leg.press(key);
    // Spoken sentence by sentence as the model streams it.
    await until(() => finals('agent').some((t) => t.text === 'Order 42 shipped yesterday.'), 'the answer', { play: leg });
    expect(finals('agent').map((t) => t.text).slice(-2)).toEqual(['Let me look that up.', 'Order 42 shipped yesterday.']);
    expect(journal.events.find((e) => e.type === 'flow.tool')?.data).toMatchObject({ name: 'order_status', ok: true });
    const voiceRequest = fake.chatRequests[0]!;

    fake.chatRequests.length = 0;
    const chat = new ChatEngine(flow, { llm });
    const turn = await chat.text((await chat.start()).state, '42');
    expect(turn.replies.map((r) => r.text)).toEqual(['Let me look that up. Order 42 shipped yesterday.']);
    const chatRequest = fake.chatRequests[0]!;
    expect(chatRequest.tools).toEqual(voiceRequest.tools);
    expect(String(voiceRequest.messages[0]!.content)).toContain('phone call');
    expect(String(chatRequest.messages[0]!.content)).toContain('website chat');
    expect(leg.transferredTo).toBeNull();
  });

  it('without a model: the call says it cannot answer and goes on to the person, as the chat does', async () => {
    const agent = new LocalFlowAgent({ flow, synthesizer: null, llm: null, speech: NO_SPEECH });
    const { leg, journal, finals } = await liveCall(agent);
    await until(() => finals('agent').some((t) => t.text.includes('order number')), 'the prompt', { play: leg });
    for (const key of ['4', '2']) leg.press(key);
    await until(() => leg.transferredTo !== null, 'the transfer', { play: leg });
    expect(leg.transferredTo).toBe('queue:support');
    const said = finals('agent').map((t) => t.text);
    expect(said.slice(-2)).toEqual([NO_MODEL_REPLY, 'I can put you through to a person on our team.']);
    expect(journal.types()).toContain('flow.llm_unavailable');

    const chat = new ChatEngine(flow, { llm: null });
    const turn = await chat.text((await chat.start()).state, '42');
    expect(turn.replies.map((r) => r.text)).toEqual([NO_MODEL_REPLY, 'I can put you through to a person on our team.']);
    expect(turn.outcome).toMatchObject({ type: 'transfer', to: 'queue:support' });
  });
});
