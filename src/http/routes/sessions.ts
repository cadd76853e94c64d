import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { notFound } from '../errors.js';
import { route } from '../route.js';

/** The session bootstrap API. */
export async function registerSessionRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, sessions } = platform;

  route(app, accounts, operations.createSession, ({ caller, body }) => sessions.create(caller.tenant.id, body, caller.label));

  route(app, accounts, operations.listSessions, ({ caller, query }) => sessions.list(caller.tenant.id, query));

  route(app, accounts, operations.getSession, async ({ caller, params }) => {
    const session = await sessions.get(caller.tenant.id, params.id);
    if (!session) throw notFound('session');
    return session;
  });

  route(app, accounts, operations.endSession, async ({ caller, params, body }) => {
    const session = await sessions.end(caller.tenant.id, params.id, body?.reason ?? 'ended-by-api');
    if (!session) throw notFound('session');
    return session;
  });
}
