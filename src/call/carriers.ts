import type { CarrierCredentials } from '../contracts/telephony.js';

/** What a carrier's REST API must do for the platform. One implementation per carrier (telephony/<carrier>). */
export interface DialRequest {
  /** Our call id: carriers carry it back (Twilio answer URL, Telnyx client_state) so webhooks find the call. */
  callId: string;
  tenantId: string;
  from: string;
  to: string;
  credentials: CarrierCredentials;
}

export interface CarrierClient {
  /** Places an outbound call; resolves with the carrier's id of it (CallSid, call_control_id). */
  dial(request: DialRequest): Promise<{ carrierCallId: string }>;
  /** Ends the call; a call that already ended is not an error. */
  hangup(carrierCallId: string, credentials: CarrierCredentials): Promise<void>;
  /** Cold transfer to an E.164 number or SIP URI. */
  transfer(carrierCallId: string, to: string, credentials: CarrierCredentials): Promise<void>;
}

/** The carrier clients this server has, by carrier name; the composition root registers them. */
export class CarrierClients {
  private readonly clients = new Map<string, CarrierClient>();

  register(carrier: 'twilio' | 'telnyx', client: CarrierClient): this {
    this.clients.set(carrier, client);
    return this;
  }

  get(carrier: string): CarrierClient | null {
    return this.clients.get(carrier) ?? null;
  }
}
