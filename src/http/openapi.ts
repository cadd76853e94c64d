import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from './auth.js';

/** OpenAPI 3.1 generated from the contracts' zod schemas, at /openapi.json, with a browsable reference at /docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  // @fastify/websocket hides every socket route from the docs; ours are part of the API, so un-hide those tagged.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean; tags?: string[] } | undefined;
    if (route.websocket && schema?.tags?.includes('sockets')) schema.hide = false;
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Switchboard API', version: '1', description: 'AI-first contact center. Errors: {"error":{"code","message","details?","requestId"}}. Lists: ?limit&cursor → {items,nextCursor}.' },
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Login session; unsafe methods also need x-csrf-token.' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'Tenant API key: Authorization: Bearer sb_live_…' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
    hideUntagged: true,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
