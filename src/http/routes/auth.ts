import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { SESSION_COOKIE } from '../auth.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

/** Sign in and out with the session cookie; `me` tells the console who is signed in. */
export async function registerAuthRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, settings } = platform;
  const secure = settings.SWITCHBOARD_COOKIE_SECURE === 'auto' ? platform.publicUrl.startsWith('https:') : settings.SWITCHBOARD_COOKIE_SECURE === 'true';

  // Login is limited per client address: it is where passwords are guessed.
  route(app, accounts, operations.login, async ({ body, reply }) => {
    const result = await accounts.login(body.email, body.password);
    if (!result) throw new ApiError(401, 'invalid_credentials', 'email or password is wrong');
    reply.setCookie(SESSION_COOKIE, result.token, { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: 12 * 3600 });
    return accounts.principal(result.caller);
  }, { rateLimit: { max: settings.SWITCHBOARD_LOGIN_RATE_LIMIT, timeWindow: 60_000 } });

  route(app, accounts, operations.logout, async ({ request, reply }) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await accounts.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.code(204);
    return null;
  });

  route(app, accounts, operations.me, ({ caller }) => accounts.principal(caller));
}
