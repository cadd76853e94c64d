import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { TELNYX_SIGNATURE_HEADER, TELNYX_TIMESTAMP_HEADER, rawPublicKeyBase64 } from './signature.js';

/**
 * Behaving like Telnyx towards a Switchboard server, for `switchboard simulate-call --carrier telnyx` and tests:
 * Ed25519 key pairs, signed webhook deliveries (optionally duplicated and out of order), event builders.
 * The media side is `TelnyxCallerStream` (sim-media.ts). No test-framework imports.
 */
export { TelnyxCallerStream, toTelnyxWire } from './sim-media.js';
export type { CallerStreamOptions, SendAudioOptions, TimelineEntry } from './sim-media.js';

export interface TelnyxKeyPair {
  privateKey: KeyObject;
  /** What the Telnyx portal shows and the tenant configures: base64 of the raw 32-byte key. */
  publicKeyBase64: string;
}

export function generateTelnyxKeyPair(): TelnyxKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyBase64: rawPublicKeyBase64(publicKey) };
}

/** The private key stored for a demo account (`simulatorPrivateKey`: base64 PKCS#8 DER). */
export function telnyxPrivateKeyFromBase64(pkcs8Base64: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
}

/** Signature headers Telnyx would send with this exact body at `timestampSec`. */
export function signTelnyxWebhook(privateKey: KeyObject, rawBody: string | Uint8Array, timestampSec = Math.floor(Date.now() / 1000)): Record<string, string> {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const signature = sign(null, Buffer.concat([Buffer.from(`${timestampSec}|`, 'utf8'), body]), privateKey);
  return { [TELNYX_SIGNATURE_HEADER]: signature.toString('base64'), [TELNYX_TIMESTAMP_HEADER]: String(timestampSec) };
}

export interface SimulatedCall {
  callControlId: string;
  callLegId: string;
  callSessionId: string;
  connectionId: string;
  from: string;
  to: string;
  direction: 'incoming' | 'outgoing';
}

export function simulatedCall(fields: Partial<SimulatedCall> & Pick<SimulatedCall, 'from' | 'to'>): SimulatedCall {
  const leg = randomUUID();
  return {
    callControlId: `v3:sim-${leg}`,
    callLegId: leg,
    callSessionId: randomUUID(),
    connectionId: 'sim-connection',
    direction: 'incoming',
    ...fields,
  };
}

/** A webhook body: `{data:{record_type,event_type,id,occurred_at,payload},meta}`. */
export function telnyxEvent(
  eventType: string,
  call: SimulatedCall,
  extra: Record<string, unknown> = {},
  options: { id?: string; occurredAt?: Date; attempt?: number; deliveredTo?: string; clientState?: string } = {},
): Record<string, unknown> {
  return {
    data: {
      record_type: 'event',
      event_type: eventType,
      id: options.id ?? randomUUID(),
      occurred_at: (options.occurredAt ?? new Date()).toISOString(),
      payload: {
        call_control_id: call.callControlId,
        call_leg_id: call.callLegId,
        call_session_id: call.callSessionId,
        connection_id: call.connectionId,
        client_state: options.clientState ?? null,
        from: call.from,
        to: call.to,
        direction: call.direction,
        state: eventType === 'call.hangup' ? 'hangup' : eventType === 'call.answered' ? 'answered' : 'parked',
        start_time: new Date().toISOString(),
        ...extra,
      },
    },
    meta: { attempt: options.attempt ?? 1, delivered_to: options.deliveredTo ?? '' },
  };
}

export interface DeliveryResult { status: number; body: string; eventType: string; id: string }

export interface WebhookSenderOptions {
  /** Our webhook URL (e.g. http://localhost:3000/telephony/telnyx/webhook). */
  url: string;
  privateKey: KeyObject;
  fetch?: typeof fetch;
  /** Seconds since the epoch put in `telnyx-timestamp` (default: now). */
  timestampSec?: () => number;
}

/** Delivers signed webhooks like Telnyx: raw JSON body, Ed25519 headers. */
export class TelnyxWebhookSender {
  readonly deliveries: DeliveryResult[] = [];
  constructor(private readonly opts: WebhookSenderOptions) {}

  async send(event: Record<string, unknown>, overrides: { headers?: Record<string, string>; rawBody?: string } = {}): Promise<DeliveryResult> {
    const raw = overrides.rawBody ?? JSON.stringify(event);
    const ts = this.opts.timestampSec?.() ?? Math.floor(Date.now() / 1000);
    const res = await (this.opts.fetch ?? fetch)(this.opts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'telnyx-webhooks', ...signTelnyxWebhook(this.opts.privateKey, raw, ts), ...overrides.headers },
      body: raw,
    });
    const data = (event.data ?? {}) as { event_type?: string; id?: string };
    const result = { status: res.status, body: await res.text(), eventType: data.event_type ?? '', id: data.id ?? '' };
    this.deliveries.push(result);
    return result;
  }

  /**
   * Delivers several events the way Telnyx may: each `duplicate` times (redeliveries keep the id and bump
   * `meta.attempt`), in the given order or `shuffled` (seeded), one after another.
   */
  async sendAll(events: Record<string, unknown>[], options: { duplicate?: number; shuffle?: boolean; seed?: number } = {}): Promise<DeliveryResult[]> {
    const batch: Record<string, unknown>[] = [];
    for (const e of events) {
      for (let attempt = 1; attempt <= (options.duplicate ?? 1); attempt++) {
        batch.push({ ...e, meta: { ...(e.meta as object), attempt } });
      }
    }
    if (options.shuffle) {
      let s = (options.seed ?? 7) >>> 0;
      const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
      for (let i = batch.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [batch[i], batch[j]] = [batch[j]!, batch[i]!];
      }
    }
    const out: DeliveryResult[] = [];
    for (const e of batch) out.push(await this.send(e));
    return out;
  }
}
