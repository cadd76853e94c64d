import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Platform } from '../platform.js';
import { ApiError, codeForStatus } from './errors.js';
import { registerOpenApi } from './openapi.js';
import { registerConsole } from './console.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerUserRoutes } from './routes/users.js';
import { registerApiKeyRoutes } from './routes/api-keys.js';
import { registerFlagRoutes } from './routes/flags.js';
import { registerSessionRoutes } from './routes/sessions.js';
import { registerCallRoutes } from './routes/calls.js';
import { registerCarrierRoutes } from './routes/carriers.js';
import { registerNumberRoutes } from './routes/numbers.js';
import { registerFlowRoutes } from './routes/flows.js';
import { registerProviderRoutes } from './routes/providers.js';
import { registerTwilioTelephony } from './routes/telephony-twilio.js';
import { registerTelnyxTelephony } from './routes/telephony-telnyx.js';
import { registerCallMediaSocket } from './sockets/call-media.js';
import { registerEventSocket } from './sockets/events.js';
import { registerSessionSocket } from './sockets/session.js';
import { registerWidgetRoutes } from './routes/widget.js';
import { registerWidgetSocket } from './sockets/widget.js';
import { InvalidCursorError } from '../store/index.js';
import { UnknownFlagError } from '../flags/service.js';
import { CallError } from '../call/errors.js';
import { FlowError } from '../ai/flows/library.js';

export interface ServerOptions {
  /** Serve the built console from dist/web (off in API-only tests). */
  console?: boolean;
}

/** Builds the HTTP server of one instance: API routes from the contracts, sockets, docs, console, metrics. */
export async function buildServer(platform: Platform, options: ServerOptions = {}): Promise<FastifyInstance> {
  const { settings, metrics } = platform;
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    bodyLimit: settings.SWITCHBOARD_BODY_LIMIT,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // One access line per request (written in onResponse) instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    trustProxy: true,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  const routes: { method: string; url: string }[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  // An empty JSON body means "no body" (clients send POST /end with content-type set and nothing else).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') { done(null, undefined); return; }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError(400, 'validation_failed', 'body is not valid JSON'), undefined);
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    request.log.info({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });

  app.setErrorHandler((error: FastifyError | ApiError | Error, request, reply) => {
    let status = 500;
    let code = 'internal_error';
    let message = 'internal error';
    let details: unknown;
    if (error instanceof ApiError || error instanceof CallError || error instanceof FlowError) {
      ({ status, code, message, details } = error);
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      status = 400; code = 'validation_failed';
      message = `invalid ${error.validationContext ?? 'request'}`;
      details = error.validation.map((v) => ({ path: `${error.validationContext ?? ''}${v.instancePath.replaceAll('/', '.')}`, message: v.message }));
    } else if (error instanceof InvalidCursorError) {
      status = 400; code = 'validation_failed'; message = error.message; details = [{ path: 'querystring.cursor', message: error.message }];
    } else if (error instanceof UnknownFlagError) {
      status = 404; code = 'not_found'; message = error.message;
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, body too large, wrong content type, rate limit.
      status = error.statusCode; code = codeForStatus(status); message = error.message;
    } else {
      request.log.error({ err: error }, 'unhandled error');
    }
    metrics.httpErrors.inc({ code, status: String(status) });
    void reply.code(status).type('application/json').send({ error: { code, message, ...(details === undefined ? {} : { details }), requestId: request.id } });
  });

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  await registerOpenApi(app);

  await registerSystemRoutes(app, platform);
  await registerAuthRoutes(app, platform);
  await registerUserRoutes(app, platform);
  await registerApiKeyRoutes(app, platform);
  await registerFlagRoutes(app, platform);
  await registerSessionRoutes(app, platform);
  await registerCallRoutes(app, platform);
  await registerCarrierRoutes(app, platform);
  await registerNumberRoutes(app, platform);
  await registerFlowRoutes(app, platform);
  await registerProviderRoutes(app, platform);
  await registerTwilioTelephony(app, platform);
  await registerTelnyxTelephony(app, platform);
  await registerEventSocket(app, platform);
  await registerCallMediaSocket(app, platform);
  await registerSessionSocket(app, platform);
  await registerWidgetRoutes(app, platform);
  await registerWidgetSocket(app, platform);
  await registerConsole(app, { enabled: options.console ?? true });

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, for the contract test. */
    routeTable: { method: string; url: string }[];
  }
}
