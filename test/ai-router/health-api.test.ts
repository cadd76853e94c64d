/**
 * Health visible and real: probes of a fake OpenAI Realtime through the real server; slowing its handshake shows in
 * GET /api/v1/providers/health and /metrics, and status and breaker changes are published on the bus.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/contracts/events.js';
import { providerEventData } from '../../src/contracts/events.js';
import { FakeOpenAiRealtime } from '../fakes/ai/openai-realtime-server.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

let fake: FakeOpenAiRealtime;
let server: TestServer;
let admin: TestClient;
const events: DomainEvent[] = [];
beforeAll(async () => {
  fake = await new FakeOpenAiRealtime({ apiKey: 'test' }).start();
  server = await startTestServer({ env: { OPENAI_API_KEY: 'test', OPENAI_REALTIME_URL: fake.url, SWITCHBOARD_PROVIDER_PROBE_INTERVAL_MS: '250' } });
  admin = await signedInClient(server);
  const me = (await admin.get('/api/v1/auth/me')).body as { tenant: { id: string } };
  server.platform.bus.subscribe(me.tenant.id, (event) => { if (event.type.startsWith('provider.')) events.push(event); });
});
afterAll(async () => { await server.close(); await fake.close(); });

type Health = { provider: string; status: string; latencyEwmaMs: number | null; breaker: { state: string } };
const openai = async () => ((await admin.get('/api/v1/providers/health')).body.providers as Health[]).find((p) => p.provider === 'openai')!;
const probeLatencies = async () => ((await admin.get('/api/v1/providers/health/history?provider=openai&limit=500')).body.samples as Array<{ source: string; ok: boolean; latencyMs?: number }>)
  .filter((s) => s.source === 'probe' && s.ok).map((s) => s.latencyMs!);
const metricEwma = async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('switchboard_provider_latency_ewma_ms{provider="openai"}'));
  return line ? Number(line.split(' ').pop()) : null;
};

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`not met in ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('provider health through the API', () => {
  it('shows real probe latencies that rise when the provider answers its handshake slowly', async () => {
    const fast = await until(probeLatencies, (l) => l.length >= 2);
    expect(Math.max(...fast)).toBeLessThan(400);
    const before = await until(openai, (p) => p.status === 'healthy' && p.latencyEwmaMs !== null);
    const metricBefore = (await metricEwma())!;
    expect(metricBefore).toBeLessThan(400);

    fake.faults.handshakeDelayMs = 900;
    const slow = await until(probeLatencies, (l) => l.some((ms) => ms >= 900));
    expect(Math.max(...slow)).toBeLessThan(2500);
    const after = await until(openai, (p) => p.latencyEwmaMs! > before.latencyEwmaMs! + 150);
    expect(after.latencyEwmaMs).toBeGreaterThan(before.latencyEwmaMs! + 150);
    expect((await metricEwma())!).toBeGreaterThan(metricBefore + 150);
  }, 30_000);

  it('publishes provider.health_changed and provider.breaker_changed when the provider starts failing', async () => {
    fake.faults.handshakeDelayMs = 0;
    fake.faults.rejectStatus = 500;
    const degraded = await until(async () => events.find((e) => e.type === 'provider.health_changed' && e.data['status'] !== 'healthy' && e.data['previous'] === 'healthy'), Boolean);
    expect(providerEventData['provider.health_changed'].parse(degraded!.data)).toMatchObject({ provider: 'openai', reason: expect.any(String) });
    const opened = await until(async () => events.find((e) => e.type === 'provider.breaker_changed' && e.data['state'] === 'open'), Boolean);
    expect(providerEventData['provider.breaker_changed'].parse(opened!.data)).toMatchObject({ provider: 'openai', previous: 'closed' });
    expect((await openai()).breaker.state).not.toBe('closed');
    fake.faults.rejectStatus = undefined;
  }, 30_000);
});
