import type { z } from 'zod';
import { errorSchema, type ErrorBody } from '../../../contracts/common';
import { operations, type OperationName, type Operations } from '../../../contracts/operations';

/**
 * The console's only way to the HTTP API: every call goes through the operations table of the contracts, so
 * paths, methods, inputs and answers come from one place and are typed from the zod schemas.
 */

type Op<N extends OperationName> = Operations[N];

/** What the server answers on success: the union of the operation's success schemas. */
export type ResponseOf<N extends OperationName> = {
  [S in keyof Op<N>['responses']]: Op<N>['responses'][S] extends z.ZodType ? z.output<Op<N>['responses'][S]> : never;
}[keyof Op<N>['responses']];

type ParamsPart<O> = O extends { params: infer P extends z.ZodType } ? { params: z.input<P> } : { params?: undefined };
/** Query values are what the schema produces (numbers as numbers); each key is optional, defaults fill the rest. */
type QueryPart<O> = O extends { query: infer Q extends z.ZodType } ? { query?: Partial<z.output<Q>> } : { query?: undefined };
type BodyPart<O> = O extends { body: infer B extends z.ZodType }
  ? undefined extends z.input<B> ? { body?: z.input<B> } : { body: z.input<B> }
  : { body?: undefined };

export type CallOptions<N extends OperationName> = ParamsPart<Op<N>> & QueryPart<Op<N>> & BodyPart<Op<N>> & { signal?: AbortSignal };

/** Inputs are optional only when the operation needs none. */
type CallArgs<N extends OperationName> = Record<never, never> extends CallOptions<N> ? [options?: CallOptions<N>] : [options: CallOptions<N>];

/** A non-2xx answer (or a transport/validation failure), carrying the uniform error body. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody) {
    super(body.error.message);
    this.name = 'ApiError';
  }
  get code(): string { return this.body.error.code; }
  get requestId(): string { return this.body.error.requestId; }
  get details(): unknown { return this.body.error.details; }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Fills `:name` path parameters, URL-encoded. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${key} for ${path}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function errorBodyOf(status: number, payload: unknown, requestId: string, fallback: string): ErrorBody {
  const parsed = errorSchema.safeParse(payload);
  if (parsed.success) return parsed.data;
  return { error: { code: status === 0 ? 'network_error' : `http_${status}`, message: fallback, requestId } };
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

export class ApiClient {
  /** From the Principal of login/me; sent as x-csrf-token on unsafe methods. */
  csrfToken: string | null = null;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly unauthenticatedListeners = new Set<() => void>();

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? '';
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Called when any call other than login answers 401 (the session expired or was signed out elsewhere). */
  onUnauthenticated(listener: () => void): () => void {
    this.unauthenticatedListeners.add(listener);
    return () => this.unauthenticatedListeners.delete(listener);
  }

  async call<N extends OperationName>(name: N, ...[options]: CallArgs<N>): Promise<ResponseOf<N>> {
    const operation = operations[name];
    const opts = (options ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal };
    const url = this.baseUrl + fillPath(operation.path, opts.params) + queryString(opts.query);
    // An optional body left out is sent as {} when the schema takes it: the server reads a missing body as null.
    const body = opts.body === undefined && 'body' in operation && operation.body.safeParse({}).success ? {} : opts.body;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (!SAFE_METHODS.has(operation.method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: operation.method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? null : JSON.stringify(body),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, errorBodyOf(0, null, '', 'the server could not be reached'));
    }
    const requestId = response.headers.get('x-request-id') ?? '';
    const text = await response.text();
    let payload: unknown = null;
    if (text) {
      try { payload = JSON.parse(text); } catch { payload = undefined; }
    }

    const schema = (operation.responses as Record<number, z.ZodType>)[response.status];
    if (!response.ok || !schema) {
      if (response.status === 401 && name !== 'login') this.unauthenticatedListeners.forEach((listener) => listener());
      throw new ApiError(response.status, errorBodyOf(response.status, payload, requestId, `${response.status} ${response.statusText}`.trim()));
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new ApiError(response.status, {
        error: { code: 'invalid_response', message: `unexpected answer from ${operation.method} ${operation.path}`, details: parsed.error.issues, requestId },
      });
    }
    const result = parsed.data as ResponseOf<N>;
    if (name === 'login' || name === 'me') this.csrfToken = (result as ResponseOf<'me'>).csrfToken;
    if (name === 'logout') this.csrfToken = null;
    return result;
  }
}

/** The console's client: same origin, session cookie. */
export const api = new ApiClient();
