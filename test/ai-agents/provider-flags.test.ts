/**
 * The AI flags gate what they name on `ai` numbers: `ai-tools` off → the model is offered no tools; `ai-realtime`
 * off with only a realtime provider configured → the call is not answered by it (it fails as agent-error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoSimulatorCredentials } from '../../src/call/simulator-credentials.js';
import { runInboundCall } from '../../src/telephony/twilio/index.js';
import { callerFrames, silenceFrames } from '../fakes/ai/audio.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { officialSign } from '../fakes/twilio/index.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const NUMBER = '+15005550031';
let openai: FakeOpenAiRealtime;
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  openai = await new FakeOpenAiRealtime({ apiKey: 'test', script: { greeting: 'Hello.', turns: [{ caller: 'Hi', agent: 'Hi there.' }] } }).start();
  server = await startTestServer({ env: { OPENAI_API_KEY: 'test', OPENAI_REALTIME_URL: openai.url } });
  admin = await signedInClient(server);
  expect((await admin.post('/api/v1/numbers', { number: NUMBER, carrier: 'twilio', agentKind: 'ai', options: { instructions: 'Flag test.' } })).status).toBe(201);
}, 60_000);
afterAll(async () => { await server?.close(); await openai?.close(); });

async function call() {
  const creds = (await readDemoSimulatorCredentials(server.platform.repos, 'twilio'))!;
  const result = await runInboundCall({
    baseUrl: server.url, authToken: creds.authToken!, accountSid: creds.accountId!, from: '+15551230000', to: NUMBER, sign: officialSign,
    audio: Buffer.concat([...silenceFrames(MULAW, 1000), ...callerFrames(MULAW)]), tailMs: 1500,
  });
  const row = (await server.platform.repos.calls.byCarrierId('twilio', result.callSid))!;
  await server.platform.calls.records.settled(row.id);
  return server.platform.calls.detail(row.tenantId, row.id);
}

/** The tools of the call's `session.update` (the probes' updates carry no instructions). */
const callTools = () => openai.sent('session.update').map((e) => e.session as unknown as { instructions?: string; tools?: unknown[] })
  .filter((s) => s.instructions === 'Flag test.').map((s) => s.tools ?? []);

describe('AI feature flags on `ai` numbers', () => {
  it('ai-tools: on by default the model gets the call tools; off, none', async () => {
    await call();
    expect(callTools().at(-1)!.length).toBeGreaterThan(0);
    await admin.put('/api/v1/flags/ai-tools', { value: 'off' });
    try {
      await call();
      expect(callTools().at(-1)).toEqual([]);
    } finally {
      await admin.delete('/api/v1/flags/ai-tools');
    }
  }, 30_000);

  it('ai-realtime off: no realtime provider answers; with no other allowed provider the call fails as agent-error', async () => {
    await admin.put('/api/v1/flags/ai-realtime', { value: 'off' });
    await admin.put('/api/v1/flags/provider-failover', { value: 'off' }); // the single-provider path
    try {
      const before = callTools().length;
      const done = await call();
      expect(done).toMatchObject({ state: 'failed', hangupCause: 'agent-error' });
      expect(callTools().length).toBe(before);
    } finally {
      await admin.delete('/api/v1/flags/ai-realtime');
      await admin.delete('/api/v1/flags/provider-failover');
    }
  }, 30_000);
});
