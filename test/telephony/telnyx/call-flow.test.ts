import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { goertzelPower, meanSquare, mulawToPcm16, pcm16ToMulaw, sine } from '../../../src/media/index.js';
import {
  TelnyxMediaLeg,
  TelnyxRestClient,
  TelnyxWebhookGate,
  TelnyxWebhookVerifier,
  decodeClientStateJson,
  parseTelnyxWebhook,
} from '../../../src/telephony/telnyx/index.js';
import type { TelnyxEvent } from '../../../src/telephony/telnyx/index.js';
import { simulatedCall, telnyxEvent } from '../../../src/telephony/telnyx/simulator.js';
import { TelnyxFake } from '../../fakes/telnyx/index.js';
import { z } from 'zod';

/**
 * The wiring the call core does, in miniature: a webhook route (verify → parse → gate → 200 → act) and a media
 * socket route (accept → bind by client_state → agent). The agent here echoes. Driven by the Telnyx fake.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function miniServer(publicKey: () => string, apiUrl: () => string, apiKey: string) {
  const rejected: string[] = [];
  const applied: TelnyxEvent[] = [];
  const ended: string[] = [];
  const gate = new TelnyxWebhookGate();
  let verifier: TelnyxWebhookVerifier | undefined;
  let rest: TelnyxRestClient | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void (async () => {
      verifier ??= new TelnyxWebhookVerifier(publicKey());
      rest ??= new TelnyxRestClient({ apiKey, baseUrl: apiUrl() });
      const raw = Buffer.concat(chunks);
      const check = verifier.verify(req.headers, raw);
      if (!check.ok) { rejected.push(check.reason); return void res.writeHead(403).end(); }
      const parsed = parseTelnyxWebhook(raw);
      if (!parsed.ok) { rejected.push(parsed.reason); return void res.writeHead(400).end(); }
      const decision = await gate.admit(parsed.event);
      res.writeHead(200).end();
      if (!decision.apply) return void rejected.push(decision.reason);
      const event = parsed.event;
      applied.push(event);
      if (event.kind === 'call.initiated' && event.payload.direction === 'incoming') {
        await rest.answer(event.payload.call_control_id, { clientState: { callId: `call-${applied.length}` }, stream: { url: mediaUrl } });
      }
    })().catch((e: unknown) => rejected.push(`error:${String(e)}`)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const wss = new WebSocketServer({ server, path: '/telephony/telnyx/media' });
  const mediaUrl = `ws://127.0.0.1:${port}/telephony/telnyx/media`;
  const legs: TelnyxMediaLeg[] = [];
  wss.on('connection', (ws) => {
    TelnyxMediaLeg.accept(ws, { commands: rest, onRejected: (r) => rejected.push(`media:${r}`) }).then((leg) => {
      const state = decodeClientStateJson(leg.start.clientStateRaw, z.object({ callId: z.string() }));
      if (!state) return leg.close();
      legs.push(leg);
      leg.on('audio', (p) => leg.sendAudio(p)).on('ended', (reason, source) => ended.push(`${state.callId} ${reason} ${source}`));
      leg.resume();
    }, () => {});
  });
  closers.push(() => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(); server.close(() => r()); }));
  return { webhookUrl: `http://127.0.0.1:${port}/telephony/telnyx/webhook`, rejected, applied, ended, legs };
}

describe('a Telnyx call end to end (fake Telnyx ↔ webhook + media routes ↔ echo agent)', () => {
  it('answers once despite a duplicated webhook, echoes the caller audio, ends on hang-up, ignores late events', async () => {
    const ref: { fake?: TelnyxFake } = {};
    const srv = await miniServer(() => ref.fake!.keys.publicKeyBase64, () => ref.fake!.api.url, 'KEY_flow');
    const fake = await TelnyxFake.start({ webhookUrl: srv.webhookUrl, apiKey: 'KEY_flow' });
    ref.fake = fake;
    closers.push(() => fake.close());

    const call = await fake.inboundCall({ from: '+15550001111', to: '+15550002222' }, { duplicate: 2 });
    expect(call.initiated.map((d) => d.status)).toEqual([200, 200]);
    const stream = await fake.api.waitForStream(call.callControlId);
    expect(fake.api.commands.filter((c) => c.action === 'answer')).toHaveLength(1);
    expect(srv.rejected).toContain('duplicate');

    const tone = pcm16ToMulaw(sine(440, 8000, 8000, 0.5)); // 1 s, paced at real time
    await stream.sendAudio(tone);
    await fake.api.waitUntil(() => stream.heardAudio().length >= 7000, 3000, 'echo');
    const heard = mulawToPcm16(stream.heardAudio());
    expect(goertzelPower(heard, 440, 8000) / meanSquare(heard)).toBeGreaterThan(0.95);

    await fake.callerHangup(call);
    await fake.api.waitUntil(() => srv.ended.length === 1 && srv.applied.some((e) => e.kind === 'call.hangup'), 3000, 'hangup');
    expect(srv.ended).toEqual(['call-1 stream-stopped caller']);

    // A late call.answered after the hang-up, and a webhook signed with another key.
    await fake.webhooks.send(telnyxEvent('call.answered', call));
    expect(srv.rejected).toContain('stale');
    const forged = await fake.webhooks.send(telnyxEvent('call.initiated', call), { headers: { 'telnyx-signature-ed25519': Buffer.alloc(64, 1).toString('base64') } });
    expect(forged.status).toBe(403);
    expect(srv.rejected).toContain('bad_signature');
    expect(srv.rejected.filter((r) => r.startsWith('media:') || r.startsWith('error:'))).toEqual([]);
  });

  it('applies shuffled, duplicated webhooks once each and never moves a call backwards', async () => {
    const ref: { fake?: TelnyxFake } = {};
    const srv = await miniServer(() => ref.fake!.keys.publicKeyBase64, () => ref.fake!.api.url, 'KEY_flow');
    const fake = await TelnyxFake.start({ webhookUrl: srv.webhookUrl, apiKey: 'KEY_flow' });
    ref.fake = fake;
    closers.push(() => fake.close());
    const rank = { 'call.initiated': 0, 'call.answered': 1, 'call.hangup': 2 } as Record<string, number>;
    for (const seed of [1, 2, 3, 4, 5]) {
      const call = fake.api.addCall(simulatedCall({ from: '+15550001111', to: '+15550002222' }));
      const events = ['call.initiated', 'call.answered', 'call.hangup'].map((t) => telnyxEvent(t, call));
      const deliveries = await fake.webhooks.sendAll(events, { duplicate: 3, shuffle: true, seed });
      expect(deliveries.every((d) => d.status === 200)).toBe(true);
      const mine = srv.applied.filter((e) => e.payload.call_control_id === call.callControlId);
      const ranks = mine.map((e) => rank[e.kind]!);
      expect(ranks).toEqual([...new Set(ranks)].sort());
      expect(new Set(mine.map((e) => e.id)).size).toBe(mine.length);
    }
    expect(srv.rejected).toContain('duplicate');
  });
});
