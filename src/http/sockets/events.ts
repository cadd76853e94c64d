import type { FastifyInstance } from 'fastify';
import { eventsClientMessage, type EventsServerMessage } from '../../contracts/events.js';
import { socketEndpoints } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { ApiError } from '../errors.js';
import { CONTROL_REPLY_EVENT } from '../../call/control-request.js';
import { CallEventFilter } from './call-event-filter.js';
import { parseJsonFrame, sendJson } from './send.js';
import { socketCaller } from './socket-caller.js';
import { scopeOfCaller } from '../../call/supervision/scope.js';

/** Bus traffic between instances (control requests and their replies): never sent to browsers. */
const INTERNAL_EVENTS = new Set(['call.control', CONTROL_REPLY_EVENT]);

/**
 * Live domain events of the caller's tenant, from the bus (so events published on any instance arrive here).
 * Authenticated by the session cookie or an API key before the upgrade.
 */
export async function registerEventSocket(app: FastifyInstance, platform: Platform): Promise<void> {
  app.get(socketEndpoints.events.path, {
    websocket: true,
    schema: { summary: socketEndpoints.events.summary, tags: ['sockets'] },
    preValidation: async (request) => {
      const caller = await socketCaller(platform, request);
      if (!(await platform.flags.isEnabled(caller.tenant.id, 'console-live-events', caller.subjectKey))) {
        throw new ApiError(403, 'feature_disabled', 'live events are turned off for this tenant (flag console-live-events)');
      }
      request.caller = caller;
    },
  }, (socket, request) => {
    const caller = request.caller!;
    let prefixes: string[] = [];
    const send = (message: EventsServerMessage) => sendJson(socket, message);
    // An agent's socket carries only the events of calls they may see (their own and their queues').
    const filter = new CallEventFilter(scopeOfCaller(caller), (callId) => platform.repos.calls.byId(caller.tenant.id, callId));
    const stop = platform.bus.subscribe(caller.tenant.id, (event) => {
      // The caller's own queues changed (src/http/routes/users.ts): their board follows without a reconnect.
      if (event.type === 'user.queues_changed' && caller.user && event.data['userId'] === caller.user.id && Array.isArray(event.data['queues'])) {
        const queues = (event.data['queues'] as unknown[]).filter((q): q is string => typeof q === 'string');
        platform.accounts.forgetUser(caller.user.id);
        filter.rescope(scopeOfCaller({ role: caller.role, user: { id: caller.user.id, queues } }));
      }
      if (INTERNAL_EVENTS.has(event.type)) return; // instance-to-instance requests, not something that happened
      if (prefixes.length === 0 || prefixes.some((p) => event.type.startsWith(p))) filter.offer(event, (e) => send({ type: 'event', event: e }));
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
