import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * Every setting Switchboard reads, with its default and meaning. This table is the single source of truth:
 * the README's settings table is checked against it by a test, and no module reads `process.env` directly.
 */
export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000)
    .describe('TCP port the HTTP server listens on.'),
  HOST: z.string().min(1).default('0.0.0.0')
    .describe('Interface the HTTP server binds to.'),
  PUBLIC_URL: z.url().optional()
    .describe('Address carriers and browsers reach this server at (e.g. https://sb.example.com). Defaults to http://localhost:PORT.'),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default('./data')
    .describe('Directory for the embedded database, recordings and other local state.'),
  SWITCHBOARD_RECORDINGS_DIR: z.string().min(1).optional()
    .describe('Directory call recordings (dual-channel WAV) are written to while calls run. Unset: SWITCHBOARD_DATA_DIR/recordings.'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional()
    .describe('PostgreSQL connection URL. Unset: embedded PGlite in SWITCHBOARD_DATA_DIR.'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20)
    .describe('Connections in the PostgreSQL pool (only with DATABASE_URL).'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()
    .describe('Redis URL for shared session state and the event bus across instances. Unset: in process.'),
  SWITCHBOARD_ADMIN_EMAIL: z.email().default('admin@demo.switchboard.local')
    .describe('Email of the admin user created on first start.'),
  SWITCHBOARD_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional()
    .describe('Password of the admin created on first start. Unset: one is generated and printed once.'),
  SWITCHBOARD_SCENARIO: z.enum(['basic', 'multi-provider', 'ai-first', 'compliance', 'browser-channel']).optional()
    .describe('Demo scenario applied to the demo tenant at boot.'),
  SWITCHBOARD_ENV: z.enum(['development', 'staging', 'production']).default('development')
    .describe('Deployment environment; chooses the default set of feature flags.'),
  SWITCHBOARD_SECRET: z.string().min(16, 'must be at least 16 characters').optional()
    .describe('Key that signs socket tokens and stream parameters. Unset: generated once and kept in the database, shared by every instance.'),
  SWITCHBOARD_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576)
    .describe('Largest accepted request body in bytes; larger bodies get 413.'),
  SWITCHBOARD_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10)
    .describe('Login attempts allowed per client address per minute.'),
  SWITCHBOARD_SESSION_TTL_S: z.coerce.number().int().min(60).default(3600)
    .describe('Lifetime in seconds of a conversation session and its socket token.'),
  SWITCHBOARD_RING_TIMEOUT_S: z.coerce.number().int().min(5).default(120)
    .describe('A call still ringing this many seconds after the carrier announced it (its media never came) is ended as failed, cause media-timeout.'),
  SWITCHBOARD_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto')
    .describe('Mark the login cookie Secure: auto = when PUBLIC_URL is https.'),
  SWITCHBOARD_PROVIDER_PROBE_INTERVAL_MS: z.coerce.number().int().min(200).default(15_000)
    .describe('How often each AI provider is probed (open a session, finish the handshake, close), in ms.'),
  OPENAI_API_KEY: z.string().min(1).optional()
    .describe('OpenAI API key. Set: OpenAI Realtime answers `ai` numbers (and joins failover).'),
  OPENAI_API_KEY_2: z.string().min(1).optional()
    .describe('A second OpenAI API key: provider `openai:key2`, with its own health and circuit breaker (failover between keys).'),
  OPENAI_REALTIME_MAX_SESSION_MS: z.coerce.number().int().min(1000).default(3_600_000)
    .describe('OpenAI Realtime session length cap in ms; calls roll over to a fresh session at a quiet moment before it (with provider-failover on).'),
  OPENAI_REALTIME_URL: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL').default('wss://api.openai.com/v1/realtime')
    .describe('OpenAI Realtime WebSocket endpoint.'),
  OPENAI_REALTIME_MODEL: z.string().min(1).default('gpt-realtime')
    .describe('OpenAI Realtime model.'),
  OPENAI_BASE_URL: z.url().default('https://api.openai.com/v1')
    .describe('OpenAI-compatible chat-completions base URL the cascade uses (OpenAI, Ollama, vLLM, LM Studio).'),
  OPENAI_CHAT_MODEL: z.string().min(1).optional()
    .describe('Chat model at OPENAI_BASE_URL for the cascade and for flow `llm` steps (calls and web chat). Unset: gpt-4o-mini, and flow `llm` steps use a model only when OPENAI_API_KEY is set.'),
  GEMINI_API_KEY: z.string().min(1).optional()
    .describe('Google Gemini API key. Set: Gemini Live answers `ai` numbers (and joins failover).'),
  GEMINI_API_KEY_2: z.string().min(1).optional()
    .describe('A second Gemini API key: provider `gemini:key2`, with its own health and circuit breaker.'),
  GEMINI_LIVE_URL: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL').optional()
    .describe('Gemini Live WebSocket endpoint. Unset: Google\'s.'),
  GEMINI_LIVE_MODEL: z.string().min(1).optional()
    .describe('Gemini Live model. Unset: the client default.'),
  DEEPGRAM_API_KEY: z.string().min(1).optional()
    .describe('Deepgram API key. Set: the cascade (Deepgram speech + OPENAI_BASE_URL language model) is a provider.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
    .describe('Minimum level of the JSON logs.'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Flag overrides come from SWITCHBOARD_FLAG_<NAME> variables, documented as one row in the table. */
export const FLAG_ENV_PREFIX = 'SWITCHBOARD_FLAG_';

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** Reads `.env` (if present) under the given environment; real environment variables win. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Record<string, string | undefined> {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/** Validates the environment; throws SettingsError naming each bad variable and why. Empty strings count as unset. */
export function loadSettings(env: Record<string, string | undefined> = readEnvironment()): Settings {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = settingsSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(settings)');
      return `${name}=${JSON.stringify(relevant[name] ?? '')}: ${issue.message}`;
    }));
  }
  return parsed.data;
}

/** The SWITCHBOARD_FLAG_* variables, name (lowercase, dashes) → raw value. */
export function flagOverridesFromEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(FLAG_ENV_PREFIX) || value === undefined || value === '') continue;
    out[key.slice(FLAG_ENV_PREFIX.length).toLowerCase().replaceAll('_', '-')] = value;
  }
  return out;
}

/** Where call recordings go. */
export function recordingsDir(settings: Settings): string {
  return settings.SWITCHBOARD_RECORDINGS_DIR ?? join(settings.SWITCHBOARD_DATA_DIR, 'recordings');
}

export function publicUrl(settings: Settings): string {
  return (settings.PUBLIC_URL ?? `http://localhost:${settings.PORT}`).replace(/\/$/, '');
}
