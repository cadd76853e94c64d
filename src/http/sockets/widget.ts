import type { FastifyInstance } from 'fastify';
import { socketEndpoints } from '../../contracts/operations.js';
import { widgetClientMessage, widgetSocketQuery, type WidgetServerMessage } from '../../contracts/widget.js';
import type { Platform } from '../../platform.js';
import type { WidgetKeyRow } from '../../store/repositories/widget.js';
import { MESSAGE_EVENT, toMessage } from '../../widget/conversation.js';
import { keyRefusal } from '../../widget/keys.js';
import { ApiError } from '../errors.js';
import { parseJsonFrame, sendJson } from './send.js';

/**
 * The widget's chat socket. Before the upgrade: a known, unrevoked key, a page origin the key allows, and the
 * tenant's `web-chat` flag. Then the contact opens (resumed from its signed token or new), the page gets every
 * message after the seq it already has, and every later one as it is stored (on any instance, through the bus).
 */
export async function registerWidgetSocket(app: FastifyInstance, platform: Platform): Promise<void> {
  const refuse = (reason: string, status: number, message: string): never => {
    platform.metrics.rejectedInput.inc({ source: 'widget-socket', reason });
    throw new ApiError(status, status === 401 ? 'unauthenticated' : 'forbidden', message);
  };
  const keys = new WeakMap<object, WidgetKeyRow>();

  app.get(socketEndpoints.widgetSocket.path, {
    websocket: true,
    schema: { summary: socketEndpoints.widgetSocket.summary, tags: ['sockets'] },
    preValidation: async (request) => {
      const query = widgetSocketQuery.safeParse(request.query);
      if (!query.success) return refuse('invalid-query', 401, 'the widget socket needs ?key= with a widget key');
      const key = await platform.repos.widget.keyByValue(query.data.key);
      const refusal = keyRefusal(key, request.headers.origin);
      if (refusal) return refuse(refusal, 403, refusal === 'origin' ? 'this page\'s origin may not use the widget key' : 'widget key refused');
      if (!(await platform.flags.isEnabled(key!.tenantId, 'web-chat'))) return refuse('flag-off', 403, 'web chat is turned off for this tenant');
      keys.set(request, key!);
    },
  }, async (socket, request) => {
    const key = keys.get(request);
    const query = widgetSocketQuery.parse(request.query);
    if (!key) { socket.close(1008, 'key'); return; }
    const send = (message: WidgetServerMessage) => sendJson(socket, message);
    const { conversations } = platform.widget;
    let contact;
    let token: string;
    try {
      ({ contact, token } = await conversations.open(key, query.contact));
    } catch (err) {
      request.log.error({ err }, 'opening the widget conversation failed');
      send({ type: 'error', code: 'unavailable', message: 'the conversation could not start' });
      socket.close(1011, 'unavailable');
      return;
    }
    const contactId = contact.id;
    // Messages go out in seq order, each once: `pump` sends whatever is stored past the last one sent.
    let lastSent = query.after ?? 0;
    let pumping: Promise<void> = Promise.resolve();
    const pump = () => {
      pumping = pumping.then(async () => {
        for (const row of await conversations.history(key.tenantId, contactId, lastSent)) {
          send({ type: 'message', message: toMessage(row) });
          lastSent = row.seq;
        }
      }).catch((err: unknown) => request.log.warn({ err }, 'widget history failed'));
    };
    const stop = platform.bus.subscribe(key.tenantId, (event) => {
      if (event.type === MESSAGE_EVENT && event.data['contactId'] === contactId) pump();
    });
    socket.on('close', stop);
    socket.on('message', (data, isBinary) => {
      const parsed = widgetClientMessage.safeParse(parseJsonFrame(data, isBinary));
      if (!parsed.success) {
        platform.metrics.rejectedInput.inc({ source: 'widget-socket', reason: 'invalid-message' });
        send({ type: 'error', code: 'invalid_message', message: 'unknown or malformed message' });
        return;
      }
      if (parsed.data.type === 'ping') { send({ type: 'pong' }); return; }
      const { clientId, text } = parsed.data;
      conversations.visitorMessage(key, contact, clientId, text)
        .then((row) => send({ type: 'ack', clientId, seq: row.seq }))
        .catch((err: unknown) => {
          request.log.error({ err }, 'widget message failed');
          send({ type: 'error', code: 'unavailable', message: 'the message could not be handled; send it again' });
        });
    });
    const voice = await platform.flags.isEnabled(key.tenantId, 'browser-voice').catch(() => false);
    send({ type: 'ready', contactId, contactToken: token, voice });
    pump();
  });
}
