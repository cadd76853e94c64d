import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TelnyxCredentials } from '../../contracts/telephony.js';
import type { Platform } from '../../platform.js';
import { TelnyxCarrierClient } from '../../telephony/telnyx/carrier-client.js';
import {
  TELNYX_SIGNATURE_HEADER, TelnyxMediaLeg, TelnyxWebhookVerifier, decodeClientStateJson, hangupSourceOf, parseTelnyxWebhook,
} from '../../telephony/telnyx/index.js';
import type { TelnyxCallCommands, TelnyxEvent, TelnyxRestClient } from '../../telephony/telnyx/index.js';
import { ApiError } from '../errors.js';

export const TELNYX_WEBHOOK_PATH = '/telephony/telnyx/webhook';
export const TELNYX_MEDIA_PATH = '/telephony/telnyx/media';
const clientStateSchema = z.object({ callId: z.string().min(1) });

/** What a demo (simulator) account's webhook answer carries instead of REST commands to Telnyx. */
export interface SimulatorCommand { action: 'answer' | 'hangup'; call_control_id: string; stream_url?: string; client_state?: string }

/**
 * Telnyx Call Control towards us: webhooks (Ed25519 over `timestamp|rawBody`, 300 s window, one gate per process
 * for duplicates and out-of-order events) and the media socket `/telephony/telnyx/media?token=` (a signed media
 * token in the stream URL: Telnyx does not sign upgrades). Real accounts get REST commands after a 200; demo
 * accounts (locally generated, with a simulator key) cannot be reached at Telnyx, so their commands come back in
 * the webhook answer as `{ simulator: { commands } }` for `switchboard simulate-call --carrier telnyx`.
 */
export async function registerTelnyxTelephony(app: FastifyInstance, platform: Platform): Promise<void> {
  const { calls, metrics } = platform;
  const mediaUrl = (call: { id: string; tenantId: string }) =>
    `${platform.publicUrl.replace(/^http/, 'ws')}${TELNYX_MEDIA_PATH}?token=${encodeURIComponent(calls.mediaToken(call))}`;
  if (!platform.carrierClients.get('telnyx')) {
    platform.carrierClients.register('telnyx', new TelnyxCarrierClient({ streamUrl: (r) => mediaUrl({ id: r.callId, tenantId: r.tenantId }) }));
  }
  const count = (reason: string) => metrics.rejectedInput.inc({ source: 'telnyx', reason });
  const gate = platform.telnyxGate;
  const verifiers = new Map<string, TelnyxWebhookVerifier>();
  const verifierFor = (key: string) => {
    let v = verifiers.get(key);
    if (!v) { v = new TelnyxWebhookVerifier(key); verifiers.set(key, v); }
    return v;
  };
  const restFor = (account: TelnyxCredentials, demo: SimulatorCommand[] | null): TelnyxCallCommands | TelnyxRestClient => {
    if (account.simulatorPrivateKey !== undefined) {
      return {
        hangup: async (id: string) => { demo?.push({ action: 'hangup', call_control_id: id }); },
        transfer: async () => { throw new Error('demo Telnyx accounts cannot transfer'); },
      };
    }
    const client = platform.carrierClients.get('telnyx');
    return (client instanceof TelnyxCarrierClient ? client : new TelnyxCarrierClient()).rest(account);
  };

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post(TELNYX_WEBHOOK_PATH, { schema: { hide: true } }, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const refuse = (reason: string) => {
        count(reason);
        request.log.warn({ reason }, 'telnyx webhook refused');
        return reply.code(403).type('text/plain').send('forbidden');
      };
      if (!request.headers[TELNYX_SIGNATURE_HEADER]) return refuse('missing_signature');
      const parsed = parseTelnyxWebhook(raw);
      if (!parsed.ok) { count(parsed.reason); return reply.code(400).type('text/plain').send(parsed.reason); }
      const event = parsed.event;
      const p = event.payload as { call_control_id?: unknown; to?: unknown; client_state?: string | null };
      const carrierCallId = typeof p.call_control_id === 'string' ? p.call_control_id : undefined;
      const ours = decodeClientStateJson(p.client_state ?? null, clientStateSchema)?.callId;
      const to = typeof p.to === 'string' ? p.to : undefined;
      const route = await calls.route({ carrier: 'telnyx', ...(ours ? { callId: ours } : { ...(carrierCallId ? { carrierCallId } : {}), ...(to ? { to } : {}) }) });
      const account = route?.credentials?.carrier === 'telnyx' ? route.credentials.telnyx : null;
      if (!route || !account) {
        count('unknown-number');
        request.log.info({ to, eventType: event.kind }, 'telnyx webhook for no known number or call');
        return reply.code(200).send();
      }
      const check = verifierFor(account.publicKey).verify(request.headers, raw);
      if (!check.ok) return refuse(check.reason);
      const decision = await gate.admit(event);
      if (!decision.apply) { count(decision.reason); return reply.code(200).send(); }
      const demo = account.simulatorPrivateKey !== undefined ? [] as SimulatorCommand[] : null;
      const act = apply(event, account, demo, route.call?.direction === 'outbound' ? 'outgoing' : 'incoming', ours).catch((err: unknown) => {
        request.log.error({ err, eventType: event.kind, carrierCallId }, 'acting on a telnyx webhook failed');
      });
      if (!demo) return reply.code(200).send(); // Telnyx: answer at once, act after
      await act;
      return reply.code(200).send({ simulator: { commands: demo } });
    });

    async function apply(event: TelnyxEvent, account: TelnyxCredentials, demo: SimulatorCommand[] | null, direction: 'incoming' | 'outgoing', callId: string | undefined): Promise<void> {
      const rest = restFor(account, demo);
      if (event.kind === 'call.initiated') {
        const { call_control_id: id, from, to } = event.payload;
        const admitted = await calls.admitCall({ carrier: 'telnyx', carrierCallId: id, from, to, ...(callId ? { callId } : {}) });
        if (!admitted.ok) { count(admitted.reason); await rest.hangup(id); return; }
        if (event.payload.direction !== 'incoming' || !admitted.created) return;
        const clientState = { callId: admitted.call.id };
        const stream = { url: mediaUrl({ id: admitted.call.id, tenantId: admitted.tenantId }) };
        if (demo) demo.push({ action: 'answer', call_control_id: id, stream_url: stream.url, client_state: Buffer.from(JSON.stringify(clientState)).toString('base64') });
        else await (rest as TelnyxRestClient).answer(id, { clientState, stream });
      } else if (event.kind === 'call.answered') {
        await calls.carrierStatus({ carrier: 'telnyx', carrierCallId: event.payload.call_control_id, status: 'answered', ...(callId ? { callId } : {}) });
      } else if (event.kind === 'call.hangup') {
        const { call_control_id: id, hangup_cause: cause } = event.payload;
        await calls.carrierStatus({ carrier: 'telnyx', carrierCallId: id, status: 'completed', cause, source: hangupSourceOf(event.payload, direction), ...(callId ? { callId } : {}) });
      }
    }

    const media = new WeakMap<object, { tenantId: string; callId: string; account: TelnyxCredentials | null }>();
    scope.get<{ Querystring: { token?: string } }>(TELNYX_MEDIA_PATH, {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request) => {
        const token = typeof request.query.token === 'string' ? calls.verifyMediaToken(request.query.token) : { ok: false as const, reason: 'missing-token' };
        if (!token.ok) {
          count(`media-${token.reason}`);
          request.log.warn({ reason: token.reason }, 'telnyx media upgrade refused');
          throw new ApiError(403, 'forbidden', 'media stream refused');
        }
        const route = await calls.route({ carrier: 'telnyx', callId: token.callId });
        media.set(request.raw, { tenantId: token.tenantId, callId: token.callId, account: route?.credentials?.carrier === 'telnyx' ? route.credentials.telnyx : null });
      },
    }, async (socket, request) => {
      const bound = media.get(request.raw);
      if (!bound) { socket.close(1008, 'unbound'); return; }
      const commands: TelnyxCallCommands = bound.account?.simulatorPrivateKey !== undefined || !bound.account
        ? { hangup: async () => { socket.close(1000, 'hangup'); }, transfer: async () => { throw new Error('no Telnyx account to transfer with'); } }
        : restFor(bound.account, null);
      let leg: TelnyxMediaLeg;
      try {
        leg = await TelnyxMediaLeg.accept(socket, { commands, onRejected: count });
      } catch (err) {
        request.log.info({ err, callId: bound.callId }, 'telnyx media stream ended before start');
        return;
      }
      const state = decodeClientStateJson(leg.start.clientStateRaw, clientStateSchema);
      if (state && state.callId !== bound.callId) { count('stream-wrong-call'); leg.close(); return; }
      const session = await calls.attach({ tenantId: bound.tenantId, callId: bound.callId }, leg).catch((err: unknown) => {
        request.log.error({ err, callId: bound.callId }, 'attaching the telnyx leg failed');
        return null;
      });
      if (!session) { count('stream-not-attached'); leg.close(); return; }
      leg.resume();
    });
  });
}
