import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { decodeClientState } from '../../../src/telephony/telnyx/events.js';
import { TelnyxMediaLeg } from '../../../src/telephony/telnyx/media-leg.js';
import { CALL_ALREADY_ENDED, TelnyxApiError, TelnyxRestClient, defaultCommandId } from '../../../src/telephony/telnyx/rest-client.js';
import { simulatedCall } from '../../../src/telephony/telnyx/simulator.js';
import { FakeTelnyxApi } from '../../fakes/telnyx/index.js';

const API_KEY = 'KEY_test_123';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup() {
  const api = await new FakeTelnyxApi({ apiKey: API_KEY }).start();
  closers.push(() => api.close());
  const client = new TelnyxRestClient({ apiKey: API_KEY, baseUrl: api.url });
  const call = api.addCall(simulatedCall({ from: '+15550001111', to: '+15550002222' }));
  return { api, client, call };
}

async function mediaSocket() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const legs: Promise<TelnyxMediaLeg>[] = [];
  wss.on('connection', (ws) => legs.push(TelnyxMediaLeg.accept(ws)));
  closers.push(() => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(() => r()); }));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/media`, legs };
}

describe('TelnyxRestClient against the fake Telnyx API', () => {
  it('answers with bearer auth, base64 client_state, a stable command_id and bidirectional PCMU streaming', async () => {
    const { api, client, call } = await setup();
    const media = await mediaSocket();
    await client.answer(call.callControlId, { clientState: { callId: 'c1' }, stream: { url: media.url } });
    const cmd = await api.waitForCommand('answer');
    expect(cmd.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(cmd.body).toEqual({
      client_state: Buffer.from('{"callId":"c1"}').toString('base64'),
      command_id: defaultCommandId('answer', call.callControlId),
      stream_url: media.url,
      stream_track: 'inbound_track',
      stream_codec: 'PCMU',
      stream_bidirectional_mode: 'rtp',
      stream_bidirectional_codec: 'PCMU',
    });
    // Telnyx opens the media socket; the start frame carries the call and its client_state.
    await api.waitForStream(call.callControlId);
    const leg = await media.legs[0]!;
    expect(leg.carrierCallId).toBe(call.callControlId);
    expect(leg.start.clientState).toBe('{"callId":"c1"}');
  });

  it('a repeated answer (duplicate webhook) carries the same command_id and is ignored by Telnyx', async () => {
    const { api, client, call } = await setup();
    await client.answer(call.callControlId);
    await client.answer(call.callControlId);
    expect(api.commands.map((c) => c.ignored)).toEqual([false, true]);
  });

  it('starts streaming separately', async () => {
    const { api, client, call } = await setup();
    const media = await mediaSocket();
    await client.answer(call.callControlId);
    await client.streamingStart(call.callControlId, { url: media.url, track: 'both_tracks' });
    const cmd = await api.waitForCommand('streaming_start');
    expect(cmd.body).toMatchObject({ stream_url: media.url, stream_track: 'both_tracks', stream_bidirectional_mode: 'rtp', stream_bidirectional_codec: 'PCMU' });
    await api.waitForStream(call.callControlId);
    expect((await media.legs[0])?.carrierCallId).toBe(call.callControlId);
  });

  it('hangs up, and hanging up an ended call (422 90018) is not an error', async () => {
    const { api, client, call } = await setup();
    expect(await client.hangup(call.callControlId)).toEqual({ alreadyEnded: false });
    expect(await client.hangup(call.callControlId, { commandId: 'another' })).toEqual({ alreadyEnded: true });
    expect(api.calls.get(call.callControlId)?.state).toBe('ended');
    // Other commands on an ended call fail with the Telnyx code.
    const e = await client.transfer(call.callControlId, { to: '+15550003333' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TelnyxApiError);
    expect(e).toMatchObject({ status: 422, code: CALL_ALREADY_ENDED, message: 'Call has already ended' });
  });

  it('transfers with `to` and no default command_id', async () => {
    const { api, client, call } = await setup();
    await client.transfer(call.callControlId, { to: 'sip:desk@example.com' });
    expect((await api.waitForCommand('transfer')).body).toEqual({ to: 'sip:desk@example.com' });
  });

  it('dials: POST /calls with connection_id, to, from, stream and client_state; Telnyx then opens the stream', async () => {
    const { api, client } = await setup();
    const media = await mediaSocket();
    const placed = await client.dial({ connectionId: 'conn-1', to: '+15550004444', from: '+15550002222', clientState: 'outbound:c9', timeoutSecs: 30, stream: { url: media.url } });
    expect(placed.call_control_id).toMatch(/^v3:/);
    const cmd = await api.waitForCommand('dial');
    expect(cmd.body).toMatchObject({ connection_id: 'conn-1', to: '+15550004444', from: '+15550002222', timeout_secs: 30, stream_url: media.url, stream_bidirectional_mode: 'rtp' });
    expect(decodeClientState(cmd.body.client_state)).toBe('outbound:c9');
    await api.waitForStream(placed.call_control_id);
    const leg = await media.legs[0]!;
    expect(leg.carrierCallId).toBe(placed.call_control_id);
    expect(leg.start.clientState).toBe('outbound:c9');
  });

  it('reports Telnyx errors: bad key, unknown call, missing parameter', async () => {
    const { api, call } = await setup();
    const bad = new TelnyxRestClient({ apiKey: 'wrong', baseUrl: api.url });
    await expect(bad.answer(call.callControlId)).rejects.toMatchObject({ status: 401, code: '10009' });
    const client = new TelnyxRestClient({ apiKey: API_KEY, baseUrl: `${api.url}/` });
    await expect(client.hangup('v3:nope')).rejects.toMatchObject({ status: 404 });
    await expect(client.dial({ connectionId: '', to: '+1', from: '+2' })).rejects.toMatchObject({ status: 422, code: '10032' });
  });
});
