import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPhrase } from '../../src/ai/flows/index.js';
import { OpenAiCompatibleChat } from '../../src/ai/openai-compatible/index.js';
import { flowDefinitionSchema, type FlowDefinition } from '../../src/contracts/flows.js';
import { ChatEngine } from '../../src/widget/chat-engine.js';
import { FakeOpenAiCompatible } from '../fakes/ai/openai-compatible-server.js';
import { signedInClient } from '../support/client.js';
import { startTestServer } from '../support/server.js';
import { openWidget } from './widget-socket.js';

const NO_MODEL_REPLY = builtInPhrase('en-US', 'noModel');

const ORIGIN = 'https://shop.example.com';

const en = (text: string) => ({ 'en-US': text });

/** A shop's help chat: ask what it is about, then the model answers (order lookups, a person on request). */
function helpFlow(hookUrl: string): Record<string, unknown> {
  return {
    id: 'shop-help', name: 'Shop help', languages: ['en-US'],
    instructions: en('You help visitors of the Example shop.'),
    start: 'topic',
    slots: { question: { type: 'text' } },
    intents: { bye: { phrases: { 'en-US': ['that is all', 'goodbye'] } } },
    tools: {
      order_status: {
        description: 'Look up an order by number', url: `${hookUrl}/orders`,
        parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
      },
    },
    steps: {
      topic: { type: 'ask', prompt: en('Hi! What can I help you with?'), slot: 'question', next: 'help', onNoMatch: 'person' },
      help: {
        type: 'llm', instructions: en('Answer questions about orders; the visitor asked: {{question}}.'),
        tools: ['order_status', 'transfer_call'], intents: ['bye'], until: { intent: 'bye' }, maxTurns: 5, next: 'person',
      },
      person: { type: 'transfer', to: 'queue:support', say: en('I can put you through to a person on our team.'), summary: en('Visitor asked: {{question}}') },
    },
  };
}

/** `llm` steps in the web chat: the tenant's model (OpenAI-compatible, streamed, with tools), or an honest apology. */
describe('chat llm steps', () => {
  let fake: FakeOpenAiCompatible;
  let hook: Server;
  let hookUrl: string;
  const lookups: unknown[] = [];
  let flow: FlowDefinition;

  beforeAll(async () => {
    fake = await new FakeOpenAiCompatible({
      script: {
        turns: [
          { caller: 'where is my order 42', agent: 'Let me look that up.', tool: { name: 'order_status', arguments: { order: '42' } }, afterTool: 'Order 42 shipped yesterday.' },
          { caller: 'can I talk to someone', agent: 'Sure.', tool: { name: 'transfer_call', arguments: { to: 'queue:support', summary: 'order 42 question' } }, afterTool: 'A colleague will take over here.' },
        ],
      },
    }).start();
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += String(c); });
      req.on('end', () => {
        lookups.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ order: '42', status: 'shipped', shippedOn: 'yesterday' }));
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    flow = flowDefinitionSchema.parse(helpFlow(hookUrl));
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('hands the turn to the model with the flow context and conversation, runs its tool calls, and streams text', async () => {
    fake.chatRequests.length = 0;
    lookups.length = 0;
    const streamed: string[] = [];
    const engine = new ChatEngine(flow, { llm: new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, model: 'test-model' }), onLlmText: (d) => streamed.push(d) });
    const start = await engine.start();
    expect(start.replies.map((r) => r.text)).toEqual(['Hi! What can I help you with?']);

    const first = await engine.text(start.state, 'where is my order 42');
    expect(first.replies.map((r) => r.text)).toEqual(['Let me look that up. Order 42 shipped yesterday.']);
    expect(first.outcome).toBeNull();
    expect(first.state.step).toBe('help');
    expect(first.state.waiting).toBe('input');
    expect(streamed.join('')).toBe('Let me look that up. Order 42 shipped yesterday.');
    // The webhook ran with the model's arguments; the model got its answer as a tool message.
    expect(lookups).toEqual([expect.objectContaining({ tool: 'order_status', arguments: { order: '42' } })]);
    expect(fake.chatRequests).toHaveLength(2);
    const [ask, afterTool] = fake.chatRequests;
    expect(ask!.stream).toBe(true);
    expect(ask!.tools?.map((t) => t.type === 'function' && t.function.name).sort()).toEqual(['order_status', 'transfer_call']);
    const system = ask!.messages[0]!;
    expect(system.role).toBe('system');
    expect(String(system.content)).toContain('You help visitors of the Example shop.');
    expect(String(system.content)).toContain('the visitor asked: where is my order 42');
    expect(String(system.content)).toContain('website chat');
    expect(ask!.messages.slice(1)).toEqual([
      { role: 'assistant', content: 'Hi! What can I help you with?' },
      { role: 'user', content: 'where is my order 42' },
    ]);
    const tool = afterTool!.messages.at(-1)!;
    expect(tool.role).toBe('tool');
    expect(JSON.parse(String(tool.content))).toEqual({ order: '42', status: 'shipped', shippedOn: 'yesterday' });

    // The model hands over to a person through `transfer_call`: the chat's outcome, and the flow run ends.
    const second = await engine.text(first.state, 'can I talk to someone');
    expect(second.replies.map((r) => r.text)).toEqual(['Sure. A colleague will take over here.']);
    expect(second.outcome).toEqual({ type: 'transfer', to: 'queue:support', summary: 'order 42 question' });
    expect(second.state.ended).toEqual({ reason: 'transferred', transferTo: 'queue:support' });
    // The conversation so far went along, previous answer included.
    expect(fake.chatRequests[2]!.messages.slice(-2)).toEqual([
      { role: 'assistant', content: 'Let me look that up. Order 42 shipped yesterday.' },
      { role: 'user', content: 'can I talk to someone' },
    ]);
  });

  it('without a model says it cannot answer open questions and goes on with the flow (a person)', async () => {
    const events: unknown[] = [];
    const engine = new ChatEngine(flow, { llm: null, onLlm: (e) => events.push(e) });
    const start = await engine.start();
    const turn = await engine.text(start.state, 'where is my order 42');
    expect(turn.replies.map((r) => r.text)).toEqual([NO_MODEL_REPLY, 'I can put you through to a person on our team.']);
    expect(turn.outcome).toEqual({ type: 'transfer', to: 'queue:support', summary: 'Visitor asked: where is my order 42' });
    expect(events).toEqual([{ step: 'help', answered: false, reason: 'no language model is configured' }]);
  });

  it('apologizes in the flow\'s language: Spanish built in, or the flow\'s own words', async () => {
    const es = (text: string) => ({ 'es-ES': text });
    const spanish = (phrases?: Record<string, unknown>) => flowDefinitionSchema.parse({
      id: 'tienda', name: 'Tienda', languages: ['es-ES'], start: 'help', ...(phrases ? { phrases } : {}),
      steps: {
        help: { type: 'llm', instructions: es('Responde sobre pedidos.'), next: 'person' },
        person: { type: 'transfer', to: 'queue:support', say: es('Le paso con una persona de nuestro equipo.') },
      },
    });
    const replies = async (f: FlowDefinition) => (await new ChatEngine(f, { llm: null }).start()).replies.map((r) => r.text);
    expect(await replies(spanish())).toEqual(['Lo siento, aquí no puedo responder preguntas abiertas.', 'Le paso con una persona de nuestro equipo.']);
    expect((await replies(spanish({ noModel: es('Nuestro asistente no está disponible.') })))[0]).toBe('Nuestro asistente no está disponible.');
  });

  it('when the model fails, apologizes and goes on with the flow', async () => {
    fake.faults = { rejectStatus: 500 };
    try {
      const engine = new ChatEngine(flow, { llm: new OpenAiCompatibleChat({ baseUrl: fake.baseUrl, model: 'test-model' }), llmFallback: 'Our assistant is unavailable.' });
      const start = await engine.start();
      const turn = await engine.text(start.state, 'where is my order 42');
      expect(turn.replies.map((r) => r.text)).toEqual(['Our assistant is unavailable.', 'I can put you through to a person on our team.']);
      expect(turn.outcome?.type).toBe('transfer');
    } finally {
      fake.faults = {};
    }
  });

  it('is wired on the platform: a widget chat reaches the configured model (OPENAI_CHAT_MODEL at OPENAI_BASE_URL)', async () => {
    fake.chatRequests.length = 0;
    const server = await startTestServer({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_CHAT_MODEL: 'shop-model' } });
    try {
      const admin = await signedInClient(server);
      const created = await admin.post('/api/v1/flows', { definition: helpFlow(hookUrl), publish: true });
      expect(created.status).toBe(201);
      const key = await admin.post('/api/v1/widget-keys', { name: 'shop', allowedOrigins: [ORIGIN], flow: 'shop-help' });
      expect(key.status).toBe(201);
      const page = await openWidget(server.url, key.body.key, ORIGIN);
      await page.until(() => page.messages().some((m) => m.text.includes('What can I help you with')));
      page.send({ type: 'message', clientId: 'm-1', text: 'where is my order 42' });
      await page.until(() => page.messages().some((m) => m.author === 'agent' && m.text === 'Let me look that up. Order 42 shipped yesterday.'));
      expect(fake.chatRequests[0]!.model).toBe('shop-model');
      await page.close();
    } finally {
      await server.close();
    }
  });
});
