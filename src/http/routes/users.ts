import type { FastifyInstance } from 'fastify';
import { toUser } from '../../accounts/views.js';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { ApiError, notFound } from '../errors.js';
import { route } from '../route.js';

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
}
