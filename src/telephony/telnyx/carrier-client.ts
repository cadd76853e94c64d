import type { CarrierClient, DialRequest } from '../../call/carriers.js';
import type { CarrierCredentials, TelnyxCredentials } from '../../contracts/telephony.js';
import { TelnyxRestClient } from './rest-client.js';

export interface TelnyxCarrierClientOptions {
  /** Telnyx API base incl. `/v2` (the fake's URL in tests). */
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  /** Our media socket for a call we place (Telnyx opens it once the callee answers). */
  streamUrl?: (request: DialRequest) => string;
}

/** The platform's `CarrierClient` for Telnyx Call Control (per-tenant credentials on each request). */
export class TelnyxCarrierClient implements CarrierClient {
  constructor(private readonly opts: TelnyxCarrierClientOptions = {}) {}

  async dial(req: DialRequest): Promise<{ carrierCallId: string }> {
    const c = telnyxOf(req.credentials);
    if (!c.connectionId) throw new Error('the Telnyx account has no connectionId (Call Control application) to dial from');
    const call = await this.rest(c).dial({
      connectionId: c.connectionId, to: req.to, from: req.from, clientState: { callId: req.callId },
      ...(this.opts.streamUrl ? { stream: { url: this.opts.streamUrl(req) } } : {}),
    });
    return { carrierCallId: call.call_control_id };
  }

  async hangup(carrierCallId: string, credentials: CarrierCredentials): Promise<void> {
    await this.rest(telnyxOf(credentials)).hangup(carrierCallId);
  }

  async transfer(carrierCallId: string, to: string, credentials: CarrierCredentials): Promise<void> {
    await this.rest(telnyxOf(credentials)).transfer(carrierCallId, { to });
  }

  /** The REST client of one account (also the `commands` of its media legs). */
  rest(credentials: TelnyxCredentials): TelnyxRestClient {
    return new TelnyxRestClient({ apiKey: credentials.apiKey, ...(this.opts.apiBaseUrl ? { baseUrl: this.opts.apiBaseUrl } : {}), ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}) });
  }
}

function telnyxOf(credentials: CarrierCredentials): TelnyxCredentials {
  if (credentials.carrier !== 'telnyx') throw new TypeError(`Telnyx client given ${credentials.carrier} credentials`);
  return credentials.telnyx;
}
