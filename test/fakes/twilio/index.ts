import twilio from 'twilio';
import type { TwilioParams } from '../../../src/telephony/twilio/signature.js';

/**
 * Twilio test doubles. The caller side (signed webhooks, media stream, playout with marks and clear) is the
 * product's simulator in `src/telephony/twilio/simulator.ts`, reused here; this folder adds the fake REST API and
 * a signer from the official `twilio` package, so tests can drive the simulator with Twilio's own signatures.
 */
export { FakeTwilioRestApi } from './rest-server.js';
export type { FakeCall, RecordedRequest } from './rest-server.js';
export { TwilioCallSimulator, TwilioStreamCaller, runInboundCall } from '../../../src/telephony/twilio/index.js';

/** X-Twilio-Signature as the official library computes it. */
export function officialSign(authToken: string, url: string, params: TwilioParams): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params as Record<string, string>);
}

/** Test credentials in Twilio's formats. */
export const TEST_ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const TEST_AUTH_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
