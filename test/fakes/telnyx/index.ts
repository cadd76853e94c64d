import { TelnyxWebhookSender, generateTelnyxKeyPair, simulatedCall, telnyxEvent } from '../../../src/telephony/telnyx/simulator.js';
import type { DeliveryResult, SimulatedCall, TelnyxKeyPair } from '../../../src/telephony/telnyx/simulator.js';
import { FakeTelnyxApi } from './rest-api.js';
import type { FakeCall } from './rest-api.js';

export { FakeTelnyxApi } from './rest-api.js';
export type { FakeCall, FakeTelnyxApiOptions, RecordedCommand } from './rest-api.js';

/**
 * Telnyx towards a server under test: a key pair (give the server `keys.publicKeyBase64`), signed webhooks to
 * `webhookUrl`, and the fake REST API (give the server `api.url` and `apiKey`) that opens media sockets.
 *
 *   const telnyx = await TelnyxFake.start({ webhookUrl: `${server.url}/telephony/telnyx/webhook` });
 *   const call = await telnyx.inboundCall({ from: '+15550001111', to: '+15550002222' });
 *   const stream = await telnyx.api.waitForStream(call.callControlId);   // after the server answered
 *   await stream.sendAudio(toTelnyxWire(sine(...), 8000, stream.wire));
 *   await telnyx.callerHangup(call);
 */
export class TelnyxFake {
  private constructor(
    readonly keys: TelnyxKeyPair,
    readonly apiKey: string,
    readonly webhooks: TelnyxWebhookSender,
    readonly api: FakeTelnyxApi,
  ) {}

  static async start(options: { webhookUrl: string; apiKey?: string; realtimePlayback?: boolean; timestampSec?: () => number }): Promise<TelnyxFake> {
    const keys = generateTelnyxKeyPair();
    const apiKey = options.apiKey ?? 'KEY_fake_telnyx_test';
    const webhooks = new TelnyxWebhookSender({ url: options.webhookUrl, privateKey: keys.privateKey, timestampSec: options.timestampSec });
    const api = await new FakeTelnyxApi({ apiKey, webhooks, realtimePlayback: options.realtimePlayback }).start();
    return new TelnyxFake(keys, apiKey, webhooks, api);
  }

  /** A caller dials `to`: the call exists at the fake API and `call.initiated` is delivered (`duplicate` times). */
  async inboundCall(fields: Partial<SimulatedCall> & Pick<SimulatedCall, 'from' | 'to'>, options: { duplicate?: number } = {}): Promise<FakeCall & { initiated: DeliveryResult[] }> {
    const call = this.api.addCall(simulatedCall({ direction: 'incoming', ...fields }));
    const event = telnyxEvent('call.initiated', call, {}, {});
    const initiated = await this.webhooks.sendAll([event], { duplicate: options.duplicate ?? 1 });
    return Object.assign(call, { initiated });
  }

  /** The caller hangs up: `stop` on the media streams, then `call.hangup` (hangup_source caller). */
  async callerHangup(call: FakeCall, cause = 'normal_clearing'): Promise<void> {
    await this.api.end(call, cause, call.direction === 'incoming' ? 'caller' : 'callee');
  }

  async close(): Promise<void> {
    await this.api.close();
  }
}
