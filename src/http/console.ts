import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ApiError } from './errors.js';

export const CONSOLE_DIR = resolve(fileURLToPath(new URL('../../dist/web', import.meta.url)));

/** API-like paths that must answer JSON 404s, never the console page. */
const API_PREFIXES = ['/api/', '/docs', '/openapi.json', '/metrics', '/health', '/ready', '/telephony/'];

/** Serves the built React console at / and answers unknown non-API GETs with its index.html (client routing). */
export async function registerConsole(app: FastifyInstance, options: { enabled: boolean }): Promise<void> {
  const servable = options.enabled && existsSync(join(CONSOLE_DIR, 'index.html'));
  if (servable) {
    await app.register(fastifyStatic, {
      root: CONSOLE_DIR, prefix: '/', wildcard: true, index: ['index.html'], cacheControl: false,
      // Hashed assets never change; the page that names them must be revalidated so a deploy is picked up.
      setHeaders: (res, path) => {
        res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else if (options.enabled) {
    app.log.warn({ dir: CONSOLE_DIR }, 'console not built; run npm run build:web');
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = API_PREFIXES.some((p) => request.url.startsWith(p));
    if (servable && request.method === 'GET' && !isApi && (request.headers.accept ?? '').includes('text/html')) {
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    }
    throw new ApiError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
  });
}
