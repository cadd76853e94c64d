/**
 * Provider errors with a code a program can branch on and a flag the router acts on: a retryable error
 * (connection lost, rate limited, provider overloaded, timeout) means "try again or fail over"; a
 * non-retryable one (bad key, bad request) means retrying the same thing will not help.
 */
export type AiErrorCode =
  | 'auth_failed'
  | 'rate_limited'
  | 'connect_failed'
  | 'connection_lost'
  | 'timeout'
  | 'provider_error'
  | 'bad_request'
  | 'protocol_error'
  | 'not_started';

export class AiError extends Error {
  readonly code: AiErrorCode;
  readonly retryable: boolean;
  readonly provider: string;
  /** HTTP status of a refused upgrade or request, when there was one. */
  readonly status: number | undefined;

  constructor(provider: string, code: AiErrorCode, message: string, options: { retryable?: boolean; status?: number } = {}) {
    super(`${provider}: ${message}`);
    this.name = 'AiError';
    this.provider = provider;
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE[code];
    this.status = options.status;
  }
}

const RETRYABLE: Record<AiErrorCode, boolean> = {
  auth_failed: false,
  rate_limited: true,
  connect_failed: true,
  connection_lost: true,
  timeout: true,
  provider_error: true,
  bad_request: false,
  protocol_error: true,
  not_started: false,
};

/** The error an HTTP status stands for (refused WebSocket upgrade or HTTP answer). */
export function errorFromStatus(provider: string, status: number, detail = ''): AiError {
  const message = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 401 || status === 403) return new AiError(provider, 'auth_failed', message, { status });
  if (status === 429) return new AiError(provider, 'rate_limited', message, { status });
  if (status === 408) return new AiError(provider, 'timeout', message, { status });
  if (status >= 500) return new AiError(provider, 'provider_error', message, { status });
  return new AiError(provider, 'bad_request', message, { status });
}
