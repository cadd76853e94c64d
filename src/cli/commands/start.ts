import { loadSettings, readEnvironment } from '../../config/settings.js';
import { buildServer } from '../../http/server.js';
import { createPlatform } from '../../platform.js';
import { ensureConsoleBuilt } from '../console-build.js';
import { ensureWidgetBuilt } from '../widget-build.js';
import type { Command } from './index.js';

/** Graceful drain: stop accepting, let in-flight requests finish (bounded), then close pools and connections. */
const DRAIN_TIMEOUT_MS = 10_000;

export const startCommand: Command = {
  name: 'start',
  summary: 'Start the server (API, sockets, console)',
  options: { 'skip-console-build': { type: 'boolean' } },
  async run(values) {
    const env = readEnvironment();
    const settings = loadSettings(env);
    if (!values['skip-console-build']) { await ensureConsoleBuilt(); await ensureWidgetBuilt(); }
    const platform = await createPlatform(settings, { env });
    const app = await buildServer(platform);
    await app.listen({ port: settings.PORT, host: settings.HOST });
    platform.log.info({ url: platform.publicUrl, database: platform.database.kind, redis: Boolean(settings.REDIS_URL) }, 'switchboard is ready');
    // Said on stdout whatever LOG_LEVEL is: people and scripts wait for this line.
    process.stdout.write(`switchboard is ready at ${platform.publicUrl} (database: ${platform.database.kind}, redis: ${settings.REDIS_URL ? 'on' : 'off'})\n`);

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      platform.log.info({ signal }, 'draining');
      const force = setTimeout(() => { platform.log.warn('drain timed out'); process.exit(1); }, DRAIN_TIMEOUT_MS);
      force.unref();
      await app.close();
      await platform.close();
      clearTimeout(force);
      platform.log.info('stopped');
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
    return 0;
  },
};
