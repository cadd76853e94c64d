import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CarrierCallStatus } from '../../call/service.js';
import type { TwilioCredentials } from '../../contracts/telephony.js';
import type { Platform } from '../../platform.js';
import {
  DEFAULT_MEDIA_PATH, DEFAULT_STATUS_PATH, DEFAULT_VOICE_PATH, TWIML_CONTENT_TYPE, TwilioCarrierClient, TwilioMediaLeg,
  mediaStreamUrl, parseFormBody, parseStatusCallback, parseVoiceWebhook, twiml, validateTwilioUpgrade, verifyTwilioWebhook,
} from '../../telephony/twilio/index.js';
import type { TwilioCallStatus } from '../../telephony/twilio/index.js';
import { ApiError } from '../errors.js';

/** Twilio's CallStatus in the call core's vocabulary. */
export const TWILIO_STATUS_MAP: Record<TwilioCallStatus, CarrierCallStatus> = {
  'queued': 'initiated', 'initiated': 'initiated', 'ringing': 'ringing', 'in-progress': 'answered', 'completed': 'completed',
  'busy': 'busy', 'no-answer': 'no-answer', 'canceled': 'canceled', 'failed': 'failed',
};

type Route = { url: string; params: Record<string, string | string[]> };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Twilio towards us: the voice webhook (inbound calls and the TwiML of calls we placed, `?callId=`), status
 * callbacks, and the media socket `/telephony/twilio/media/:callId`. Signatures are checked over the exact bytes
 * and the public URL before any work; refusals are 403, counted in `rejectedInput{source="twilio"}`.
 */
export async function registerTwilioTelephony(app: FastifyInstance, platform: Platform): Promise<void> {
  const { calls, metrics } = platform;
  if (!platform.carrierClients.get('twilio')) platform.carrierClients.register('twilio', new TwilioCarrierClient({ publicUrl: platform.publicUrl }));
  const count = (reason: string) => metrics.rejectedInput.inc({ source: 'twilio', reason });
  const refuse = (request: FastifyRequest, reply: FastifyReply, reason: string) => {
    count(reason);
    request.log.warn({ reason, url: request.url }, 'twilio webhook refused');
    return reply.code(403).type('text/plain').send('forbidden');
  };
  const tokenOf = (credentials: { carrier: string; twilio?: TwilioCredentials } | null) => (credentials?.carrier === 'twilio' ? credentials.twilio ?? null : null);

  /** Verifies a webhook against the account the request names (call id, CallSid or To); null when refused. */
  async function verified(request: FastifyRequest, reply: FastifyReply): Promise<(Route & { callId: string | undefined }) | null | 'unknown'> {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') { await refuse(request, reply, 'missing-signature'); return null; }
    const unverified = parseFormBody(raw);
    const callId = one((request.query as Record<string, string | string[] | undefined>)['callId']);
    const to = one(unverified['To']);
    const sid = one(unverified['CallSid']);
    const route = await calls.route({ carrier: 'twilio', ...(callId ? { callId } : { ...(to ? { to } : {}), ...(sid ? { carrierCallId: sid } : {}) }) });
    if (!route) return 'unknown';
    const account = tokenOf(route.credentials);
    const url = platform.publicUrl + request.url;
    const check = verifyTwilioWebhook({
      authToken: (p) => (account && one(p['AccountSid']) === account.accountSid ? account.authToken : null),
      url, signature, rawBody: raw, contentType: request.headers['content-type'],
    });
    if (!check.ok) { await refuse(request, reply, check.reason); return null; }
    return { url, params: check.params, callId };
  }

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/x-www-form-urlencoded', 'application/json'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post(DEFAULT_VOICE_PATH, { schema: { hide: true } }, async (request, reply) => {
      const route = await verified(request, reply);
      if (route === null) return reply;
      const rejectCall = (reason: string) => {
        count(reason);
        request.log.info({ reason }, 'twilio call rejected');
        return reply.type(TWIML_CONTENT_TYPE).send(twiml.reject());
      };
      if (route === 'unknown') return rejectCall('unknown-number');
      const parsed = parseVoiceWebhook(route.params);
      if (!parsed.ok) { count(parsed.reason); return reply.code(400).type('text/plain').send(parsed.reason); }
      const v = parsed.value;
      const admitted = await calls.admitCall({ carrier: 'twilio', carrierCallId: v.CallSid, from: v.From, to: v.To, ...(route.callId ? { callId: route.callId } : {}) });
      if (!admitted.ok) return rejectCall(admitted.reason);
      const streamToken = calls.mediaToken({ id: admitted.call.id, tenantId: admitted.tenantId });
      return reply.type(TWIML_CONTENT_TYPE).send(twiml.connectStream({ streamUrl: mediaStreamUrl(platform.publicUrl, admitted.call.id), streamToken }));
    });

    scope.post(DEFAULT_STATUS_PATH, { schema: { hide: true } }, async (request, reply) => {
      const route = await verified(request, reply);
      if (route === null) return reply;
      if (route === 'unknown') { count('unknown-call'); return reply.code(204).send(); }
      const parsed = parseStatusCallback(route.params);
      if (!parsed.ok) { count(parsed.reason); return reply.code(400).type('text/plain').send(parsed.reason); }
      const cb = parsed.value;
      await calls.carrierStatus({ carrier: 'twilio', carrierCallId: cb.CallSid, status: TWILIO_STATUS_MAP[cb.CallStatus], ...(route.callId ? { callId: route.callId } : {}) });
      return reply.code(204).send();
    });

    const accounts = new WeakMap<object, { tenantId: string; account: TwilioCredentials }>();
    scope.get<{ Params: { callId: string } }>(`${DEFAULT_MEDIA_PATH}/:callId`, {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request) => {
        const { callId } = request.params;
        const route = await calls.route({ carrier: 'twilio', callId });
        const account = tokenOf(route?.credentials ?? null);
        const signature = request.headers['x-twilio-signature'];
        const reason = !route || !account ? 'unknown-call' : typeof signature !== 'string' ? 'missing-signature'
          : validateTwilioUpgrade(account.authToken, signature, mediaStreamUrl(platform.publicUrl, callId)) ? null : 'bad-upgrade-signature';
        if (reason || !route || !account) {
          count(reason ?? 'unknown-call');
          request.log.warn({ reason, callId }, 'twilio media upgrade refused');
          throw new ApiError(403, 'forbidden', 'media stream refused');
        }
        accounts.set(request.raw, { tenantId: route.tenantId, account });
      },
    }, async (socket, request) => {
      const { callId } = request.params;
      const found = accounts.get(request.raw);
      const client = platform.carrierClients.get('twilio');
      const callControl = client instanceof TwilioCarrierClient && found ? client.client(found.account) : undefined;
      let leg: TwilioMediaLeg;
      try {
        leg = await TwilioMediaLeg.accept(socket, { ...(callControl ? { callControl } : {}), onRejected: count });
      } catch (err) {
        request.log.info({ err, callId }, 'twilio media stream ended before start');
        return;
      }
      const token = calls.verifyMediaToken(leg.streamToken ?? '');
      const call = found ? await calls.get(found.tenantId, callId) : null;
      const bad = !token.ok ? `stream-token-${token.reason}` : token.callId !== callId ? 'stream-token-wrong-call'
        : call?.carrierCallId !== leg.carrierCallId ? 'stream-wrong-callsid' : null;
      if (bad || !found) {
        count(bad ?? 'unknown-call');
        request.log.warn({ reason: bad, callId }, 'twilio media stream refused');
        leg.close();
        return;
      }
      const session = await calls.attach({ tenantId: found.tenantId, callId }, leg).catch((err: unknown) => {
        request.log.error({ err, callId }, 'attaching the twilio leg failed');
        return null;
      });
      if (!session) { count('stream-not-attached'); leg.close(); return; }
      leg.resume();
    });
  });
}
