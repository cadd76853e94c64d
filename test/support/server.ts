import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadSettings } from '../../src/config/settings.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/infra/logger.js';
import { createPlatform, type Platform } from '../../src/platform.js';

export const ADMIN_EMAIL = 'admin@demo.switchboard.local';
export const ADMIN_PASSWORD = 'correct-horse-battery';

export interface TestServer {
  url: string;
  platform: Platform;
  app: FastifyInstance;
  dataDir: string;
  close(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * A real Switchboard instance on an ephemeral port with its own data directory (PGlite by default).
 * `env` adds or overrides settings, e.g. DATABASE_URL and REDIS_URL for scale-out tests.
 */
export async function startTestServer(options: { env?: Record<string, string | undefined>; dataDir?: string; console?: boolean; logLevel?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sb-test-'));
  const port = await freePort();
  const env = {
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel ?? 'silent',
    ...options.env,
  };
  const settings = loadSettings(env);
  const platform = await createPlatform(settings, { env, logger: createLogger(settings.LOG_LEVEL), print: () => {} });
  const app = await buildServer(platform, { console: options.console ?? false });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    platform,
    app,
    dataDir,
    async close(closeOptions = {}) {
      await app.close();
      await platform.close();
      if (!closeOptions.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on right now, so PUBLIC_URL can name it before the server starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
