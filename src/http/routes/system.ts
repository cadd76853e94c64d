import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { route } from '../route.js';

const VERSION = '0.1.0';

async function timed(name: string, check: () => Promise<unknown>) {
  const started = performance.now();
  try {
    const result = await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2000 ms')), 2000).unref())]);
    if (result === false) return { name, ok: false, latencyMs: performance.now() - started, error: 'not applied' };
    return { name, ok: true, latencyMs: performance.now() - started };
  } catch (err) {
    return { name, ok: false, latencyMs: performance.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
}

/** /health (alive), /ready (dependencies), /metrics (Prometheus). */
export async function registerSystemRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  route(app, platform.accounts, operations.health, () => ({ status: 'ok' as const, uptimeMs: Date.now() - platform.startedAt, version: VERSION }));

  route(app, platform.accounts, operations.ready, async ({ reply }) => {
    const checks = await Promise.all([
      timed('database', () => platform.database.ping()),
      timed('migrations', () => platform.database.migrationsApplied()),
      ...platform.extraReadyChecks.map((c) => timed(c.name, c.check)),
    ]);
    const ready = checks.every((c) => c.ok);
    reply.code(ready ? 200 : 503);
    return { ready, checks };
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(platform.metrics.registry.contentType);
    return platform.metrics.registry.metrics();
  });
}
