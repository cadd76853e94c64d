/** HTTP helpers for streaming providers: POST with a deadline for the headers, the body as chunks. */
import { AiError, errorFromStatus } from './errors.js';

export interface PostOptions {
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
  /** Deadline for the response headers (default 15 s); the body then streams without one. */
  timeoutMs?: number;
}

/** POSTs JSON; resolves with the response once its headers arrive with a 2xx, else rejects with an `AiError`. */
export async function postJson(provider: string, url: string, options: PostOptions): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(options.body),
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (deadline.signal.aborted) throw new AiError(provider, 'timeout', `no answer within ${timeoutMs} ms`);
    throw new AiError(provider, 'connect_failed', error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    const detail = (await response.text().catch(() => '')).slice(0, 200);
    throw errorFromStatus(provider, response.status, detail);
  }
  return response;
}

/** The response body as byte chunks; a body that breaks off mid-stream rejects with `connection_lost`. */
export async function* bodyChunks(provider: string, response: Response, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        if (signal?.aborted) return;
        throw new AiError(provider, 'connection_lost', `stream broke off: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (result.done) return;
      if (result.value.length > 0) yield result.value;
    }
  } finally {
    // Stopped early (barge-in, abort): release the connection.
    reader.cancel().catch(() => undefined);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');
}
