import type { FastifyInstance } from 'fastify';
import { eventsClientMessage, type EventsServerMessage } from '../../contracts/events.js';
import type { Platform } from '../../platform.js';
import { resolveCaller } from '../auth.js';
import { unauthenticated } from '../errors.js';
import { parseJsonFrame, sendJson } from './send.js';

/**
 * Live domain events of the caller's tenant, from the bus (so events published on any instance arrive here).
 * Authenticated by the session cookie or an API key before the upgrade.
 */
export async function registerEventSocket(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get('/api/v1/events', {
    websocket: true,
    schema: { hide: true },
    preValidation: async (request) => {
      const caller = await resolveCaller(platform.accounts, request);
      if (!caller) throw unauthenticated();
      request.caller = caller;
    },
  }, (socket, request) => {
    const caller = request.caller!;
    let prefixes: string[] = [];
    const send = (message: EventsServerMessage) => sendJson(socket, message);
    const stop = platform.bus.subscribe(caller.tenant.id, (event) => {
      if (prefixes.length === 0 || prefixes.some((p) => event.type.startsWith(p))) send({ type: 'event', event });
    });
    socket.on('message', (data, isBinary) => {
      const parsed = eventsClientMessage.safeParse(parseJsonFrame(data, isBinary));
      if (!parsed.success) {
        platform.metrics.rejectedInput.inc({ source: 'events-socket', reason: 'invalid-message' });
        send({ type: 'error', code: 'invalid_message', message: 'expected {"type":"ping"} or {"type":"subscribe","prefixes":[…]}' });
        return;
      }
      if (parsed.data.type === 'ping') send({ type: 'pong', ...(parsed.data.id ? { id: parsed.data.id } : {}) });
      else prefixes = parsed.data.prefixes;
    });
    socket.on('close', stop);
    socket.on('error', stop);
    send({ type: 'ready', tenantId: caller.tenant.id });
  });
}
