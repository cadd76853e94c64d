/**
 * A live call (FakeLeg) on a number whose agent is a ProviderAgent behind a FailoverSession over two fake OpenAI
 * Realtime servers named `first` and `second`: what a manual provider switch acts on, without network providers.
 */
import { ProviderAgent } from '../../src/ai/agents/provider-agent.js';
import { OpenAiRealtimeSession } from '../../src/ai/openai-realtime/index.js';
import { FailoverSession } from '../../src/ai/router/failover-session.js';
import type { Platform } from '../../src/platform.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { liveCall } from '../support/calls.js';

const KIND = 'test-failover-ai';
const SCRIPT = { greeting: 'Hello, thanks for calling.', turns: [{ caller: 'Hello there', agent: 'Hi! How can I help you today?' }] };

export async function liveFailoverCall(platform: Platform, number: string) {
  const fakes = [await new FakeOpenAiRealtime({ script: SCRIPT }).start(), await new FakeOpenAiRealtime({ script: SCRIPT }).start()];
  const candidates = ['first', 'second'].map((name, i) => ({
    name, create: () => new OpenAiRealtimeSession({ apiKey: 'test-key', baseUrl: fakes[i]!.url }, { replyTimeoutMs: 0 }),
  }));
  if (!platform.agents.has(KIND)) {
    platform.agents.register(KIND, () => new ProviderAgent({ session: () => new FailoverSession({ candidates }), instructions: 'Be brief.', speakFirst: true }));
  }
  const tenant = (await platform.repos.tenants.all())[0]!;
  await platform.repos.phoneNumbers.create({ tenantId: tenant.id, number, carrier: 'twilio', agentKind: KIND, options: {} });
  const call = await liveCall(platform, { to: number });
  return { ...call, fakes, close: async () => { await call.session.hangup('test-done', 'platform'); for (const f of fakes) await f.close(); } };
}
