/**
 * `POST /api/v1/calls/:id/provider` asked on the instance that does not hold the call's media: forwarded over the
 * Redis bus to the owner (`calls.media_instance`), which switches and answers; no owner answering is a clear 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveFailoverCall } from '../ai-router/live-failover-call.js';
import { DEMO_ECHO_NUMBER } from '../support/calls.js';
import { signedInClient, type TestClient } from '../support/client.js';
import type { TestServer } from '../support/server.js';
import { startTwoInstances, type TwoInstances } from '../support/scale-out.js';

let a: TestServer;
let b: TestServer;
let onB: TestClient;
let instances: TwoInstances;

beforeAll(async () => {
  instances = await startTwoInstances();
  ({ a, b } = instances);
  onB = await signedInClient(b);
});
afterAll(async () => {
  await instances?.close();
});

describe('manual provider switch across instances', () => {
  it('a switch asked on B moves the call live on A, with the switch in the answer and on the timeline', async () => {
    const call = await liveFailoverCall(a.platform, '+14155550291');
    try {
      const row = await b.platform.repos.calls.byId(call.tenantId, call.callId);
      expect(row?.mediaInstance).toBe(a.platform.instanceId);
      expect(b.platform.calls.session(call.callId)).toBeUndefined();

      const res = await onB.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'second', reason: 'moved from B' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ callId: call.callId, switch: { from: 'first', to: 'second', reason: 'manual', detail: 'moved from B', switchMs: expect.any(Number) } });
      expect(call.fakes[1]!.connections.length).toBe(1);
      const timeline = (await onB.get(`/api/v1/calls/${call.callId}`)).body.timeline as Array<{ type: string; data: Record<string, unknown> }>;
      expect(timeline.find((e) => e.type === 'provider.switched')?.data).toMatchObject({ from: 'first', to: 'second', reason: 'manual' });

      // The owner's refusals come back in the uniform error shape, status and all.
      const again = await onB.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'second' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'conflict', message: 'the call is already on second' });
      const unknown = await onB.post(`/api/v1/calls/${call.callId}/provider`, { provider: 'nope' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.error).toMatchObject({ code: 'unknown_provider', message: expect.stringContaining('available: ') });
    } finally {
      await call.close();
    }
  }, 30_000);

  it('answers 503 with the owner in details when the instance holding the media does not answer', async () => {
    const admitted = await b.platform.calls.admitCall({ carrier: 'twilio', carrierCallId: `CAgone${Date.now()}`, from: '+14155550100', to: DEMO_ECHO_NUMBER });
    if (!admitted.ok) throw new Error(admitted.reason);
    // Ringing (not ended) with its media on an instance that no longer runs.
    await b.platform.repos.calls.setMediaInstance(admitted.call.id, 'an-instance-that-is-gone');
    const started = Date.now();
    const res = await onB.post(`/api/v1/calls/${admitted.call.id}/provider`, { provider: 'second' });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('did not answer'), details: { instanceId: 'an-instance-that-is-gone' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
  }, 30_000);
});
