/** Breakers and health per (provider, credential): a second OpenAI key is its own entry (`openai:key2`). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

let fake: FakeOpenAiRealtime;
let server: TestServer;
let admin: TestClient;
beforeAll(async () => {
  fake = await new FakeOpenAiRealtime({ apiKey: 'good-key' }).start();
  server = await startTestServer({ env: { OPENAI_API_KEY: 'good-key', OPENAI_API_KEY_2: 'revoked-key', OPENAI_REALTIME_URL: fake.url, SWITCHBOARD_PROVIDER_PROBE_INTERVAL_MS: '250' } });
  admin = await signedInClient(server);
});
afterAll(async () => { await server.close(); await fake.close(); });

type Health = { provider: string; status: string; lastFailure: { reason: string } | null; breaker: { state: string } };

describe('per-credential health and breakers', () => {
  it('a revoked second key fails (breaker opens) while the first key stays healthy; routing lists both', async () => {
    const deadline = Date.now() + 10_000;
    let list: Health[] = [];
    for (;;) {
      list = (await admin.get('/api/v1/providers/health')).body.providers as Health[];
      const key2 = list.find((p) => p.provider === 'openai:key2');
      if (key2?.breaker.state === 'open' && list.find((p) => p.provider === 'openai')?.status === 'healthy') break;
      if (Date.now() > deadline) throw new Error(JSON.stringify(list));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(list.find((p) => p.provider === 'openai')!.breaker.state).toBe('closed');
    expect(list.find((p) => p.provider === 'openai:key2')!.lastFailure).not.toBeNull();
    const routing = (await admin.get('/api/v1/providers/routing')).body as { providers: Array<{ name: string; breaker: string }> };
    expect(routing.providers.find((p) => p.name === 'openai:key2')?.breaker).toBe('open');
    expect(server.platform.providers.candidates().map((c) => c.name)).toEqual(['openai']); // the open breaker is skipped
  }, 20_000);
});
