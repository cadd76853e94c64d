import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioApiError, TwilioCarrierClient, TwilioRestClient } from '../../../src/telephony/twilio/index.js';
import { FakeTwilioRestApi, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../../fakes/twilio/index.js';

let api: FakeTwilioRestApi;
let client: TwilioRestClient;
const calls = `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Calls`;

beforeAll(async () => {
  api = await new FakeTwilioRestApi(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
  client = new TwilioRestClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, baseUrl: api.baseUrl });
});
afterAll(() => api.stop());

describe('TwilioRestClient against the fake Twilio API', () => {
  it('creates an outbound call with a form body and Basic auth', async () => {
    const call = await client.createCall({
      to: '+15557654321', from: '+15551230000', url: 'https://sb.example.com/telephony/twilio/voice?c=1',
      statusCallback: 'https://sb.example.com/telephony/twilio/status', statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      timeout: 30, machineDetection: 'Enable', asyncAmd: true, record: false,
    });
    expect(call).toMatchObject({ status: 'queued', to: '+15557654321', from: '+15551230000', account_sid: TEST_ACCOUNT_SID });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    const req = api.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', path: `${calls}.json`, contentType: 'application/x-www-form-urlencoded' });
    expect(req.authorization).toBe(`Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`);
    expect(req.form).toEqual({
      To: '+15557654321', From: '+15551230000', Url: 'https://sb.example.com/telephony/twilio/voice?c=1',
      StatusCallback: 'https://sb.example.com/telephony/twilio/status',
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      Timeout: '30', Record: 'false', MachineDetection: 'Enable', AsyncAmd: 'true',
    });
  });

  it('creates a call with inline TwiML, and needs exactly one of url/twiml', async () => {
    const call = await client.createCall({ to: '+1555', from: '+1666', twiml: '<Response><Say>hi &amp; bye</Say></Response>' });
    expect(api.calls.get(call.sid)!.twiml).toBe('<Response><Say>hi &amp; bye</Say></Response>');
    await expect(client.createCall({ to: '+1', from: '+2' })).rejects.toThrow(TypeError);
    await expect(client.createCall({ to: '+1', from: '+2', url: 'https://x', twiml: '<Response/>' })).rejects.toThrow(TypeError);
  });

  it('transfers by replacing the TwiML with <Dial>, then hangs up; hanging up an ended call is not an error', async () => {
    const { sid } = await client.createCall({ to: '+1555', from: '+1666', url: 'https://x/voice' });
    await client.transferCall(sid, 'sip:desk@pbx.example.com', { callerId: '+1666' });
    expect(api.requests.at(-1)).toMatchObject({ path: `${calls}/${sid}.json`, form: { Twiml: expect.stringContaining('<Dial callerId="+1666"><Sip>sip:desk@pbx.example.com</Sip></Dial>') } });
    await client.hangupCall(sid);
    expect(api.requests.at(-1)!.form).toEqual({ Status: 'completed' });
    expect(api.calls.get(sid)!.status).toBe('completed');
    await expect(client.hangupCall(sid)).resolves.toBeUndefined();
    await expect(client.hangupCall(`CA${'0'.repeat(32)}`)).resolves.toBeUndefined();
    expect((await client.fetchCall(sid)).status).toBe('completed');
  });

  it("raises Twilio's code and message on errors", async () => {
    const err = await client.createCall({ to: '', from: '+1', url: 'https://x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TwilioApiError);
    expect(err).toMatchObject({ status: 400, code: 21201, message: "No 'To' number is specified", moreInfo: 'https://www.twilio.com/docs/errors/21201' });

    const ended = await client.transferCall(`CA${'0'.repeat(32)}`, '+1555').catch((e: unknown) => e);
    expect(ended).toMatchObject({ status: 404, code: 20404 });

    const wrong = new TwilioRestClient({ accountSid: TEST_ACCOUNT_SID, authToken: 'nope', baseUrl: api.baseUrl });
    await expect(wrong.hangupCall(`CA${'0'.repeat(32)}`)).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('raises a TwilioApiError without a code when the answer is not JSON', async () => {
    const broken = new TwilioRestClient({
      accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN,
      fetch: async () => new Response('<html>bad gateway</html>', { status: 502 }),
    });
    await expect(broken.createCall({ to: '+1', from: '+2', url: 'https://x' })).rejects.toMatchObject({ status: 502, code: null });
  });

  it('serves as the platform CarrierClient with per-tenant credentials', async () => {
    const carrier = new TwilioCarrierClient({ publicUrl: 'https://sb.example.com', apiBaseUrl: api.baseUrl });
    const credentials = { carrier: 'twilio' as const, twilio: { accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN } };
    const { carrierCallId } = await carrier.dial({ callId: 'call-1', tenantId: 't1', from: '+1666', to: '+1555', credentials });
    expect(api.requests.at(-1)!.form).toMatchObject({
      To: '+1555', From: '+1666',
      Url: 'https://sb.example.com/telephony/twilio/voice?callId=call-1',
      StatusCallback: 'https://sb.example.com/telephony/twilio/status?callId=call-1',
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    await carrier.transfer(carrierCallId, '+1777', credentials);
    expect(api.calls.get(carrierCallId)!.twiml).toContain('<Dial>+1777</Dial>');
    await carrier.hangup(carrierCallId, credentials);
    await carrier.hangup(carrierCallId, credentials);
    expect(api.calls.get(carrierCallId)!.status).toBe('completed');
    expect(() => carrier.client({ carrier: 'telnyx', telnyx: { apiKey: 'k', publicKey: 'p' } } as never)).toThrow(/telnyx/);
  });
});
