import type { CarrierClient, DialRequest } from '../../src/call/carriers.js';
import type { Platform } from '../../src/platform.js';
import { FakeLeg } from './fake-leg.js';

/** The demo tenant's seeded test number answered by `echo` (Twilio). */
export const DEMO_ECHO_NUMBER = '+15005550006';

/** A carrier REST client that only records what it was asked (no network). */
export class FakeCarrierClient implements CarrierClient {
  readonly dials: DialRequest[] = [];
  readonly hangups: string[] = [];
  readonly transfers: [string, string][] = [];
  async dial(request: DialRequest) { this.dials.push(request); return { carrierCallId: `CAfake${this.dials.length}${Date.now()}` }; }
  async hangup(carrierCallId: string) { this.hangups.push(carrierCallId); }
  async transfer(carrierCallId: string, to: string) { this.transfers.push([carrierCallId, to]); }
}

/** An inbound call on a number, as a carrier webhook would admit it, with a FakeLeg attached as its media. */
export async function liveCall(platform: Platform, options: { to?: string; carrierCallId?: string } = {}) {
  const carrierCallId = options.carrierCallId ?? `CA${Math.random().toString(16).slice(2)}`;
  const admitted = await platform.calls.admitCall({ carrier: 'twilio', carrierCallId, from: '+14155550100', to: options.to ?? DEMO_ECHO_NUMBER });
  if (!admitted.ok) throw new Error(`call not admitted: ${admitted.reason}`);
  const leg = new FakeLeg(carrierCallId);
  const session = await platform.calls.attach({ tenantId: admitted.tenantId, callId: admitted.call.id }, leg);
  if (!session) throw new Error('leg not attached');
  return { callId: admitted.call.id, tenantId: admitted.tenantId, leg, session };
}
