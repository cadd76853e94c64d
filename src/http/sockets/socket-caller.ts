import type { FastifyRequest } from 'fastify';
import type { Platform } from '../../platform.js';
import { resolveCaller } from '../auth.js';
import { ApiError, unauthenticated } from '../errors.js';

/**
 * Who opens a console socket, checked before the upgrade: the session cookie or an API key. Browsers always send
 * Origin on WebSocket upgrades, so a signed-in user's socket from a page of another site (riding on the cookie)
 * is refused.
 */
export async function socketCaller(platform: Platform, request: FastifyRequest) {
  const caller = await resolveCaller(platform.accounts, request);
  if (!caller) throw unauthenticated();
  const origin = request.headers.origin;
  if (caller.kind === 'user' && origin && !sameOrigin(origin, request.headers.host, platform.publicUrl)) {
    throw new ApiError(403, 'forbidden', 'cross-origin socket refused');
  }
  return caller;
}

export function sameOrigin(origin: string, host: string | undefined, publicUrl: string): boolean {
  try {
    const o = new URL(origin);
    return o.host === host || o.origin === new URL(publicUrl).origin;
  } catch {
    return false;
  }
}
