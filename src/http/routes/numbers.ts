import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { notFound } from '../errors.js';
import { route } from '../route.js';

/** The tenant's phone numbers and what answers each. */
export async function registerNumberRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, numbers } = platform;

  route(app, accounts, operations.listNumbers, ({ caller, query }) => numbers.list(caller.tenant.id, query));

  route(app, accounts, operations.createNumber, ({ caller, body }) => numbers.create(caller.tenant.id, body));

  route(app, accounts, operations.getNumber, async ({ caller, params }) => {
    const number = await numbers.get(caller.tenant.id, params.id);
    if (!number) throw notFound('phone number');
    return number;
  });

  route(app, accounts, operations.updateNumber, async ({ caller, params, body }) => {
    const number = await numbers.update(caller.tenant.id, params.id, body);
    if (!number) throw notFound('phone number');
    return number;
  });

  route(app, accounts, operations.deleteNumber, async ({ caller, params }) => {
    const number = await numbers.delete(caller.tenant.id, params.id);
    if (!number) throw notFound('phone number');
    return number;
  });
}
