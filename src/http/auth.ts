import '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService, Caller } from '../accounts/service.js';
import { API_KEY_PREFIX } from '../accounts/api-keys.js';
import type { Operation } from '../contracts/operations.js';
import { ApiError, forbidden, unauthenticated } from './errors.js';

export const SESSION_COOKIE = 'sb_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** The API key from `Authorization: Bearer sb_live_…` or `x-api-key`, if any. */
function apiKeyOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const key = request.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : null;
}

/** Resolves the caller from an API key or the session cookie (CSRF-checked on unsafe methods). */
export async function resolveCaller(accounts: AccountService, request: FastifyRequest): Promise<Caller | null> {
  const key = apiKeyOf(request);
  if (key !== null) {
    if (!key.startsWith(API_KEY_PREFIX)) throw unauthenticated('API key is not valid');
    const caller = await accounts.callerFromApiKey(key);
    if (!caller) throw unauthenticated('API key is not valid or was revoked');
    return caller;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const caller = await accounts.callerFromCookie(token);
  if (!caller) return null;
  if (UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== caller.csrfToken) {
    throw new ApiError(403, 'csrf_failed', 'missing or wrong x-csrf-token header for a cookie-authenticated request');
  }
  return caller;
}

/** Enforces an operation's declared access; sets `request.caller`. */
export function accessGuard(accounts: AccountService, access: Operation['access']) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.caller = null;
    if (access === 'public') return;
    const caller = await resolveCaller(accounts, request);
    if (!caller) throw unauthenticated();
    if (access !== 'any' && !access.includes(caller.role)) throw forbidden();
    request.caller = caller;
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Operation['access'];
  }
}
