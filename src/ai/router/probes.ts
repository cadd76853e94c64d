/** Ready-made probes: open a session, wait for the handshake, close it. */
import type { AiSession } from '../session.js';
import type { Probe } from './health.js';

export function sessionProbe(create: () => AiSession): Probe {
  return async (signal) => {
    const session = create();
    const abort = () => void session.close();
    signal.addEventListener('abort', abort, { once: true });
    try {
      await session.start({ instructions: 'health check', inputFormat: { encoding: 'mulaw', sampleRate: 8000 } });
    } finally {
      signal.removeEventListener('abort', abort);
      await session.close().catch(() => undefined);
    }
  };
}
