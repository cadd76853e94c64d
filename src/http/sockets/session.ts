import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sessionClientMessage, type SessionServerMessage } from '../../contracts/events.js';
import { audioFormatFor, type Channel } from '../../contracts/sessions.js';
import { socketEndpoints } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { SESSION_TOKEN_AUDIENCE } from '../../sessions/service.js';
import { ApiError } from '../errors.js';
import { joinBrowserVoice, type BrowserVoice } from './browser-voice.js';
import { parseJsonFrame, sendJson } from './send.js';

const socketQuery = z.object({ token: z.string().min(1).max(2048) });

/**
 * The socket a conversation session is joined on. The signed token from POST /api/v1/sessions is checked before
 * the upgrade: a forged, expired or foreign token gets 403 and no socket.
 */
export async function registerSessionSocket(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(socketEndpoints.sessionSocket.path, {
    websocket: true,
    schema: { summary: socketEndpoints.sessionSocket.summary, tags: ['sockets'] },
    preValidation: async (request) => {
      const query = socketQuery.safeParse(request.query);
      if (!query.success) throw new ApiError(401, 'unauthenticated', 'the socket needs ?token= from the session bootstrap');
      const verdict = platform.signer.verify(query.data.token, SESSION_TOKEN_AUDIENCE);
      if (!verdict.ok || verdict.claims.sub !== request.params.id) {
        platform.metrics.rejectedInput.inc({ source: 'session-socket', reason: verdict.ok ? 'wrong-session' : verdict.reason });
        request.log.warn({ reason: verdict.ok ? 'wrong-session' : verdict.reason }, 'session socket refused');
        throw new ApiError(403, 'forbidden', `socket token refused: ${verdict.ok ? 'wrong-session' : verdict.reason}`);
      }
      const session = await platform.sessions.get(verdict.claims.tenantId, request.params.id);
      if (!session || session.status === 'ended' || session.status === 'expired') throw new ApiError(404, 'not_found', 'session not found or ended');
    },
  }, async (socket, request) => {
    const verdict = platform.signer.verify((request.query as { token: string }).token, SESSION_TOKEN_AUDIENCE);
    if (!verdict.ok) { socket.close(1008, 'token'); return; }
    const { tenantId, sub: sessionId } = verdict.claims;
    const session = await platform.sessions.get(tenantId, sessionId);
    if (!session) { socket.close(1008, 'session'); return; }
    const send = (message: SessionServerMessage) => sendJson(socket, message);
    let ended = false;
    let voice: BrowserVoice | null = null;
    const end = async (reason: string) => {
      if (ended) return;
      ended = true;
      voice?.closed(reason);
      await platform.sessions.end(tenantId, sessionId, reason).catch((err: unknown) => request.log.error({ err }, 'ending session failed'));
      send({ type: 'ended', reason });
      socket.close(1000, reason);
    };
    const stop = platform.bus.subscribe(tenantId, (event) => {
      if (event.type === 'session.ended' && event.data['sessionId'] === sessionId && !ended) {
        ended = true;
        voice?.closed(String(event.data['reason'] ?? 'ended'), 'platform');
        send({ type: 'ended', reason: String(event.data['reason'] ?? 'ended') });
        socket.close(1000, 'ended');
      }
    });
    socket.on('close', () => { stop(); voice?.closed('socket-closed'); });
    socket.on('message', (data, isBinary) => {
      if (isBinary) { voice?.audio(data); return; } // audio: browser-voice only, once its call is attached
      const parsed = sessionClientMessage.safeParse(parseJsonFrame(data, isBinary));
      if (!parsed.success) {
        platform.metrics.rejectedInput.inc({ source: 'session-socket', reason: 'invalid-message' });
        send({ type: 'error', code: 'invalid_message', message: 'unknown or malformed control message' });
        return;
      }
      if (parsed.data.type === 'ping') send({ type: 'pong', ...(parsed.data.id ? { id: parsed.data.id } : {}) });
      else if (parsed.data.type === 'end') void end('ended-by-client');
      else voice?.control(parsed.data);
    });
    await platform.sessions.markActive(tenantId, sessionId);
    send({ type: 'ready', sessionId, channel: session.channel, audioFormat: audioFormatFor(session.channel as Channel) });
    if (session.channel === 'browser-voice' && !ended) {
      voice = await joinBrowserVoice(platform, socket, tenantId, session, end).catch((err: unknown) => {
        request.log.error({ err, sessionId }, 'starting the browser call failed');
        send({ type: 'error', code: 'call_unavailable', message: 'the call could not start' });
        return null;
      });
      if (ended || socket.readyState !== socket.OPEN) voice?.closed('socket-closed');
    }
  });
}
