import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { createSessionRequest } from '../../contracts/sessions.js';
import { keyRefusal, toWidgetKey } from '../../widget/keys.js';
import { ApiError, notFound } from '../errors.js';
import { route } from '../route.js';

export const WIDGET_BUNDLE = resolve(fileURLToPath(new URL('../../../dist/widget/widget.js', import.meta.url)));
/** The call audio worklets, copied next to the bundle by the widget build (the console's own, not a copy in source). */
const WIDGET_AUDIO = resolve(fileURLToPath(new URL('../../../dist/widget/audio/', import.meta.url)));
const WORKLETS = new Set(['mic-worklet.js', 'player-worklet.js']);

/** Widget keys (admin), a contact's timeline (staff), the embeddable script and its demo page. */
export async function registerWidgetRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, repos, widget } = platform;

  route(app, accounts, operations.listWidgetKeys, async ({ caller, query }) => {
    const page = await repos.widget.listKeys(caller.tenant.id, query);
    return { items: page.items.map(toWidgetKey), nextCursor: page.nextCursor };
  });
  route(app, accounts, operations.createWidgetKey, async ({ caller, body }) => {
    if (!(await platform.flows.published(caller.tenant.id, body.flow))) throw new ApiError(400, 'validation_failed', `flow ${body.flow} has no published version`, [{ path: 'body.flow', message: 'not published' }]);
    return widget.keys.create(caller.tenant.id, body, caller.user?.id ?? null);
  });
  route(app, accounts, operations.revokeWidgetKey, async ({ caller, params }) => {
    const row = await repos.widget.revokeKey(caller.tenant.id, params.id);
    if (!row) throw notFound('widget key');
    return toWidgetKey(row);
  });
  // Public: the widget key and the page's origin stand in for credentials, the signed contact token for the visitor.
  // The page is on the customer's site: a CORS preflight (JSON body) comes first, and the answer must name its origin.
  app.options(operations.startWidgetCall.path, { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (origin) reply.header('access-control-allow-origin', origin).header('vary', 'origin');
    return reply.code(204).header('access-control-allow-methods', 'POST').header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '600').send();
  });
  route(app, accounts, operations.startWidgetCall, async ({ body, request, reply }) => {
    if (request.headers.origin) reply.header('access-control-allow-origin', request.headers.origin).header('vary', 'origin');
    const key = await repos.widget.keyByValue(body.key);
    const refusal = keyRefusal(key, request.headers.origin);
    if (refusal) {
      platform.metrics.rejectedInput.inc({ source: 'widget-call', reason: refusal });
      throw new ApiError(403, 'forbidden', refusal === 'origin' ? 'this page\'s origin may not use the widget key' : 'widget key refused');
    }
    if (!(await platform.flags.isEnabled(key!.tenantId, 'browser-voice'))) throw new ApiError(403, 'forbidden', 'browser voice is turned off for this tenant');
    const contact = await widget.conversations.contactFor(key!, body.contact);
    if (!contact) throw new ApiError(403, 'forbidden', 'contact token refused');
    const input = createSessionRequest.parse({ channel: 'browser-voice', flow: key!.flow, metadata: { contactId: contact.id, widgetKeyId: key!.id } });
    return platform.sessions.create(key!.tenantId, input, `widget:${key!.id}`);
  }, { rateLimit: { max: 20, timeWindow: 60_000 } });

  route(app, accounts, operations.contactTimeline, async ({ caller, params }) => {
    const timeline = await widget.conversations.timeline(caller.tenant.id, params.id);
    if (!timeline) throw notFound('contact');
    return timeline;
  });

  // The script is public and cacheable for a short while; it reads its key from its own tag.
  let cached: { mtimeMs: number; body: string } | null = null;
  app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) => {
    if (!existsSync(WIDGET_BUNDLE)) throw new ApiError(404, 'not_found', 'the widget is not built (switchboard start builds it)');
    const mtimeMs = statSync(WIDGET_BUNDLE).mtimeMs;
    if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, body: readFileSync(WIDGET_BUNDLE, 'utf8') };
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(cached.body);
  });

  // AudioWorklet modules load with CORS from the customer's page.
  app.get<{ Params: { file: string } }>('/widget/audio/:file', { schema: { hide: true } }, async (request, reply) => {
    const file = request.params.file;
    const path = resolve(WIDGET_AUDIO, file);
    if (!WORKLETS.has(file) || !existsSync(path)) throw new ApiError(404, 'not_found', 'no such widget audio module');
    return reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*').send(readFileSync(path, 'utf8'));
  });

  app.get('/widget/demo', { schema: { hide: true } }, async (_request, reply) => {
    if (!widget.demoKey) throw new ApiError(404, 'not_found', 'the widget demo page exists in development only');
    return reply.type('text/html; charset=utf-8').send(demoPage(widget.demoKey));
  });
}

function demoPage(key: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard widget demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}</style></head>
<body><h1>Acme Dental</h1>
<p>This page stands for a customer's site. The chat button in the corner is the Switchboard widget, embedded with one tag:</p>
<pre><code>&lt;script src="/widget.js" data-key="${key}" async&gt;&lt;/script&gt;</code></pre>
<script src="/widget.js" data-key="${key}" async></script>
</body></html>`;
}

