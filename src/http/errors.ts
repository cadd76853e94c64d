import { ERROR_CODES } from '../contracts/common.js';

/** An error that becomes the uniform error answer with its status and code. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what = 'resource') => new ApiError(404, ERROR_CODES[404], `${what} not found`);
export const forbidden = (message = 'your role may not do this') => new ApiError(403, ERROR_CODES[403], message);
export const unauthenticated = (message = 'sign in or send an API key') => new ApiError(401, ERROR_CODES[401], message);
export const badRequest = (message: string, details?: unknown) => new ApiError(400, ERROR_CODES[400], message, details);

export function codeForStatus(status: number): string {
  return (ERROR_CODES as Record<number, string>)[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}
