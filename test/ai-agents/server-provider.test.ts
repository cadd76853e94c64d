/**
 * `ai` numbers through the real server: a Twilio call (simulator) answered by a network provider, here the fake
 * OpenAI Realtime server (and, with the `multi-provider` scenario, failing over to the fake Gemini Live server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readDemoSimulatorCredentials } from '../../src/call/simulator-credentials.js';
import { runInboundCall } from '../../src/telephony/twilio/index.js';
import { callerFrames, silenceFrames } from '../fakes/ai/audio.js';
import { FakeGeminiLive } from '../fakes/ai/gemini-live-server.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { officialSign } from '../fakes/twilio/index.js';
import { signedInClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MULAW = { encoding: 'mulaw', sampleRate: 8000 } as const;
const CALLER = '+15551230000';
const SCRIPT = { greeting: 'Hello, thanks for calling.', turns: [{ caller: 'Hello there', agent: 'Hi! How can I help you today?' }] };

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of cleanup.reverse()) await close().catch(() => undefined);
  cleanup = [];
});

/** The caller: 1.5 s of silence (the greeting plays), then one utterance (600 ms tone + 900 ms silence). */
function callerAudio(): Uint8Array {
  return Buffer.concat([...silenceFrames(MULAW, 1500), ...callerFrames(MULAW)]);
}

async function serverWithAiNumber(env: Record<string, string>, number: string) {
  const server: TestServer = await startTestServer({ env });
  cleanup.push(() => server.close());
  const client = await signedInClient(server);
  const created = await client.request('POST', '/api/v1/numbers', { number, carrier: 'twilio', agentKind: 'ai', options: { instructions: 'Be brief.' } });
  expect(created.status).toBe(201);
  const creds = (await readDemoSimulatorCredentials(server.platform.repos, 'twilio'))!;
  const call = () => runInboundCall({
    baseUrl: server.url, authToken: creds.authToken!, accountSid: creds.accountId!, from: CALLER, to: number, sign: officialSign,
    audio: callerAudio(), tailMs: 3000,
  });
  const detail = async (callSid: string) => {
    const row = await server.platform.repos.calls.byCarrierId('twilio', callSid);
    return row ? server.platform.calls.detail(row.tenantId, row.id) : null;
  };
  return { server, client, call, detail };
}

async function until<T>(get: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('an `ai` number through the real server', () => {
  it('is answered by the configured provider (fake OpenAI Realtime): agent audio heard, both sides transcribed', async () => {
    const openai = await new FakeOpenAiRealtime({ apiKey: 'test', script: SCRIPT }).start();
    cleanup.push(() => openai.close());
    const { call, detail } = await serverWithAiNumber({ OPENAI_API_KEY: 'test', OPENAI_REALTIME_URL: openai.url }, '+15005550021');

    const result = await call();
    expect(result.answer.kind).toBe('stream');
    const stream = result.stream!;
    expect(stream.violations).toEqual([]);
    expect(stream.playout.received.bytes().length).toBeGreaterThan(1600); // agent audio reached the caller
    // The call's session (beside the health probes) told the provider about μ-law and the instructions.
    const updates = openai.sent('session.update').map((e) => e.session as unknown as Record<string, unknown>);
    expect(updates.some((s) => s['instructions'] === 'Be brief.')).toBe(true);

    const done = await until(() => detail(result.callSid), (d) => d?.state === 'completed' && d.transcript.filter((t) => t.speaker === 'agent').length >= 2);
    expect(done!.transcript.map((t) => [t.speaker, t.text])).toEqual([
      ['agent', 'Hello, thanks for calling.'], ['caller', 'Hello there'], ['agent', 'Hi! How can I help you today?'],
    ]);
    // `provider-failover` is on in development: the session runs behind failover, named as configured.
    expect(done!.timeline.find((e) => e.type === 'ai.session_started')?.data).toEqual({ provider: 'openai', session: 'openai-realtime' });
  }, 45_000);

  it('provider-failover off: a plain provider session, and a dying provider ends the call (no switch)', async () => {
    const openai = await new FakeOpenAiRealtime({ apiKey: 'test', script: SCRIPT, realtime: true }).start();
    const gemini = await new FakeGeminiLive({ apiKey: 'test', script: SCRIPT }).start();
    cleanup.push(() => openai.close(), () => gemini.close());
    const { call, detail } = await serverWithAiNumber({
      OPENAI_API_KEY: 'test', OPENAI_REALTIME_URL: openai.url, GEMINI_API_KEY: 'test', GEMINI_LIVE_URL: gemini.url, SWITCHBOARD_FLAG_PROVIDER_FAILOVER: 'off',
    }, '+15005550023');
    openai.faults.closeMidResponse = true;
    const result = await call();
    const done = await until(() => detail(result.callSid), (d) => d !== null && ['completed', 'failed'].includes(d.state));
    expect(done!.timeline.find((e) => e.type === 'ai.session_started')?.data).toEqual({ provider: 'openai-realtime' });
    expect(done!.timeline.some((e) => e.type === 'provider.switched')).toBe(false);
    expect(done!.timeline.some((e) => e.type === 'ai.closed')).toBe(true);
  }, 45_000);

  it('multi-provider: the first provider dies mid-sentence, the call finishes on the second with a provider.switched event', async () => {
    const openai = await new FakeOpenAiRealtime({ apiKey: 'test', script: SCRIPT, realtime: true }).start();
    const gemini = await new FakeGeminiLive({ apiKey: 'test', script: SCRIPT }).start();
    cleanup.push(() => openai.close(), () => gemini.close());
    const { client, call, detail } = await serverWithAiNumber({
      OPENAI_API_KEY: 'test', OPENAI_REALTIME_URL: openai.url, GEMINI_API_KEY: 'test', GEMINI_LIVE_URL: gemini.url,
      SWITCHBOARD_FLAG_PROVIDER_FAILOVER: 'off', // off until the scenario turns it on
    }, '+15005550022');
    expect((await client.request('PUT', '/api/v1/scenario', { scenario: 'multi-provider' })).status).toBe(200);
    openai.faults.closeMidResponse = true; // the health probes only shake hands; the call's greeting breaks off

    const result = await call();
    expect(result.stream!.violations).toEqual([]);
    expect(result.stream!.playout.received.bytes().length).toBeGreaterThan(1600);

    const done = await until(() => detail(result.callSid), (d) => d?.state === 'completed' && d.transcript.some((t) => t.speaker === 'agent' && t.text === 'Hi! How can I help you today?'));
    const switched = done!.timeline.filter((e) => e.type === 'provider.switched');
    expect(switched).toHaveLength(1);
    expect(switched[0]!.data).toMatchObject({ from: 'openai', to: 'gemini', reason: 'closed', detectionMs: expect.any(Number), switchMs: expect.any(Number) });
    // The whole conversation, nothing lost or duplicated across the switch (the greeting was replayed by the second).
    expect(done!.transcript.map((t) => [t.speaker, t.text])).toEqual([
      ['agent', 'Hello, thanks for calling.'], ['caller', 'Hello there'], ['agent', 'Hi! How can I help you today?'],
    ]);
    expect(done!.timeline.find((e) => e.type === 'ai.session_started')?.data).toMatchObject({ provider: 'openai' });
    expect(gemini.connections.length).toBeGreaterThan(0);
  }, 45_000);
});
