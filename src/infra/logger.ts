import pino, { type Logger } from 'pino';

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'password', '*.password', '*.*.password', 'passwordHash', '*.passwordHash',
  'secret', '*.secret', 'token', '*.token', 'apiKey', '*.apiKey', 'authToken', '*.authToken',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'req.headers["x-api-key"]',
  'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'switchboard' },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, destination);
}

export type { Logger };
