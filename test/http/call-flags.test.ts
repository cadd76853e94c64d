import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoSimulatorCredentials } from '../../src/call/simulator-credentials.js';
import type { SimulatorCredentials } from '../../src/contracts/telephony.js';
import { TwilioCallSimulator } from '../../src/telephony/twilio/index.js';
import { officialSign } from '../fakes/twilio/index.js';
import { DEMO_ECHO_NUMBER, liveCall } from '../support/calls.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** The call flags gate what they name: inbound calls, outbound calls and recordings, per tenant. */
let server: TestServer;
let admin: TestClient;
let creds: SimulatorCredentials;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
  creds = (await readDemoSimulatorCredentials(server.platform.repos, 'twilio'))!;
}, 60_000);
afterAll(async () => { await server?.close(); });

const dialIn = () => new TwilioCallSimulator({
  baseUrl: server.url, authToken: creds.authToken!, accountSid: creds.accountId!, from: '+15551230000', to: DEMO_ECHO_NUMBER, sign: officialSign,
}).dialIn();

describe('call feature flags', () => {
  it('are built and on by default', async () => {
    const flags: Array<{ name: string; enabled: boolean; stage: string }> = (await admin.get('/api/v1/flags')).body.flags;
    for (const name of ['inbound-calls', 'outbound-calls', 'call-recording']) {
      expect(flags.find((f) => f.name === name)).toMatchObject({ enabled: true, stage: 'stable' });
    }
  });

  it('inbound-calls off: the carrier is told to reject the call and no call is stored', async () => {
    await admin.put('/api/v1/flags/inbound-calls', { value: 'off' });
    try {
      const before = (await admin.get('/api/v1/calls')).body.items.length;
      const res = await dialIn();
      expect(res.status).toBe(200);
      expect(res.answer.kind).toBe('reject');
      expect((await admin.get('/api/v1/calls')).body.items.length).toBe(before);
    } finally {
      await admin.delete('/api/v1/flags/inbound-calls');
    }
    const res = await dialIn();
    expect(res.answer.kind).toBe('stream');
  });

  it('outbound-calls off: POST /api/v1/calls answers 403 feature_disabled', async () => {
    await admin.put('/api/v1/flags/outbound-calls', { value: 'off' });
    try {
      const res = await admin.post('/api/v1/calls', { to: '+14155550123' });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'feature_disabled', message: expect.stringContaining('outbound-calls') });
    } finally {
      await admin.delete('/api/v1/flags/outbound-calls');
    }
  });

  it('call-recording off: a call runs without a recording', async () => {
    await admin.put('/api/v1/flags/call-recording', { value: 'off' });
    try {
      const call = await liveCall(server.platform);
      call.leg.say(new Uint8Array(160).fill(0x40), 0);
      call.leg.drop();
      await call.session.end('completed', 'caller-hangup', 'caller');
      await server.platform.calls.records.settled(call.callId);
      expect((await admin.get(`/api/v1/calls/${call.callId}`)).body.recordingUrl).toBeNull();
      expect((await admin.get(`/api/v1/calls/${call.callId}/recording`)).status).toBe(404);
    } finally {
      await admin.delete('/api/v1/flags/call-recording');
    }
  });
});
