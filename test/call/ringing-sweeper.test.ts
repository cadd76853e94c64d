import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ECHO_NUMBER, liveCall } from '../support/calls.js';
import { FakeLeg } from '../support/fake-leg.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** A call whose media never came is ended as failed (media-timeout); a call whose media came is left alone. */
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer({ env: { SWITCHBOARD_RING_TIMEOUT_S: '5' } });
  admin = await signedInClient(server);
}, 60_000);
afterAll(async () => { await server?.close(); });

describe('ringing sweeper', () => {
  it('ends calls still ringing past the timeout, and only those', async () => {
    const { calls } = server.platform;
    const stuck = await calls.admitCall({ carrier: 'twilio', carrierCallId: `CAstuck${Date.now()}`, from: '+14155550100', to: DEMO_ECHO_NUMBER });
    const late = await calls.admitCall({ carrier: 'twilio', carrierCallId: `CAlate${Date.now()}`, from: '+14155550101', to: DEMO_ECHO_NUMBER });
    if (!stuck.ok || !late.ok) throw new Error('not admitted');
    const talking = await liveCall(server.platform);

    expect(await calls.sweepRinging()).toBe(0); // nothing is old enough yet
    await new Promise((r) => setTimeout(r, 5200));
    // The late call's media arrives just before the sweep: it is live, not swept.
    const session = await calls.attach({ tenantId: late.tenantId, callId: late.call.id }, new FakeLeg(late.call.carrierCallId ?? 'late'));
    expect(session).not.toBeNull();
    expect(await calls.sweepRinging()).toBe(1);
    await calls.records.settled(stuck.call.id);

    const swept = (await admin.get(`/api/v1/calls/${stuck.call.id}`)).body;
    expect(swept).toMatchObject({ state: 'failed', hangupCause: 'media-timeout', hangupSource: 'platform' });
    expect(swept.timeline.at(-1)).toMatchObject({ type: 'state', data: { from: 'ringing', to: 'failed', cause: 'media-timeout' } });
    expect((await admin.get(`/api/v1/calls/${late.call.id}`)).body.state).toBe('in-progress');
    expect((await admin.get(`/api/v1/calls/${talking.callId}`)).body.state).toBe('in-progress');
    // Media that comes after the sweep finds an ended call and is refused.
    expect(await calls.attach({ tenantId: stuck.tenantId, callId: stuck.call.id }, new FakeLeg('too-late'))).toBeNull();
    await session!.end('completed', 'caller-hangup', 'caller');
    await talking.session.end('completed', 'caller-hangup', 'caller');
  }, 30_000);
});
