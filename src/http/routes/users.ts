import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { toUser } from '../../accounts/views.js';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { ApiError, notFound } from '../errors.js';
import { route } from '../route.js';

/** Bus event after a user's queues changed: their live board (events socket) re-scopes on it. */
export const USER_QUEUES_CHANGED = 'user.queues_changed';

export async function registerUserRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, repos } = platform;

  route(app, accounts, operations.listUsers, async ({ caller, query }) => {
    const page = await repos.users.list(caller.tenant.id, query);
    return { items: page.items.map(toUser), nextCursor: page.nextCursor };
  });

  route(app, accounts, operations.createUser, async ({ caller, body }) => {
    if (await repos.users.byEmail(body.email)) throw new ApiError(409, 'conflict', 'a user with this email exists');
    return toUser(await accounts.createUser(caller.tenant.id, body));
  });

  route(app, accounts, operations.getUser, async ({ caller, params }) => {
    const user = await repos.users.byId(caller.tenant.id, params.id);
    if (!user) throw notFound('user');
    return toUser(user);
  });

  // Which calls an agent sees follows at once: the REST board (cached caller dropped) and their events socket (bus).
  route(app, accounts, operations.setUserQueues, async ({ caller, params, body }) => {
    const user = await repos.users.setQueues(caller.tenant.id, params.id, body.queues);
    if (!user) throw notFound('user');
    accounts.forgetUser(user.id);
    await platform.bus.publish({ id: randomUUID(), type: USER_QUEUES_CHANGED, tenantId: caller.tenant.id, at: new Date().toISOString(), data: { userId: user.id, queues: user.queues, by: caller.label } })
      .catch((err: unknown) => platform.log.warn({ err, userId: user.id }, 'queue change not published'));
    return toUser(user);
  });
}
