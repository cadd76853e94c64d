import type { CarrierClient, DialRequest } from '../../call/carriers.js';
import type { CarrierCredentials, TwilioCredentials } from '../../contracts/telephony.js';
import { DEFAULT_STATUS_PATH, DEFAULT_VOICE_PATH } from './paths.js';
import { TwilioRestClient } from './rest-client.js';

export interface TwilioCarrierClientOptions {
  /** The server's public origin as Twilio reaches it, e.g. `https://sb.example.com`. */
  publicUrl: string | (() => string);
  voicePath?: string;
  statusPath?: string;
  /** Twilio API origin (the fake's URL in tests). */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * The platform's `CarrierClient` for Twilio (per-tenant credentials on each request). Outbound calls fetch their
 * TwiML from the voice webhook with `?callId=`, and report progress to the status webhook with the same query.
 */
export class TwilioCarrierClient implements CarrierClient {
  constructor(private readonly opts: TwilioCarrierClientOptions) {}

  async dial(req: DialRequest): Promise<{ carrierCallId: string }> {
    const base = typeof this.opts.publicUrl === 'function' ? this.opts.publicUrl() : this.opts.publicUrl;
    const query = `?callId=${encodeURIComponent(req.callId)}`;
    const call = await this.client(req.credentials).createCall({
      to: req.to,
      from: req.from,
      url: new URL((this.opts.voicePath ?? DEFAULT_VOICE_PATH) + query, base).toString(),
      statusCallback: new URL((this.opts.statusPath ?? DEFAULT_STATUS_PATH) + query, base).toString(),
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    return { carrierCallId: call.sid };
  }

  hangup(carrierCallId: string, credentials: CarrierCredentials): Promise<void> {
    return this.client(credentials).hangupCall(carrierCallId);
  }

  transfer(carrierCallId: string, to: string, credentials: CarrierCredentials): Promise<void> {
    return this.client(credentials).transferCall(carrierCallId, to);
  }

  /** The REST client for one account (also the `callControl` of that account's media legs). */
  client(credentials: CarrierCredentials | TwilioCredentials): TwilioRestClient {
    const c = 'carrier' in credentials ? (credentials.carrier === 'twilio' ? credentials.twilio : null) : credentials;
    if (!c) throw new TypeError(`Twilio client given ${'carrier' in credentials ? credentials.carrier : 'unknown'} credentials`);
    return new TwilioRestClient({
      accountSid: c.accountSid, authToken: c.authToken,
      ...(this.opts.apiBaseUrl ? { baseUrl: this.opts.apiBaseUrl } : {}), ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
    });
  }
}
