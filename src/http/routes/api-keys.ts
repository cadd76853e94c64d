import type { FastifyInstance } from 'fastify';
import { toApiKey } from '../../accounts/views.js';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { notFound } from '../errors.js';
import { route } from '../route.js';

export async function registerApiKeyRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, repos } = platform;

  route(app, accounts, operations.listApiKeys, async ({ caller, query }) => {
    const page = await repos.apiKeys.list(caller.tenant.id, query);
    return { items: page.items.map(toApiKey), nextCursor: page.nextCursor };
  });

  route(app, accounts, operations.createApiKey, ({ caller, body }) =>
    accounts.createApiKey(caller.tenant.id, body, caller.user?.id ?? null));

  route(app, accounts, operations.revokeApiKey, async ({ caller, params }) => {
    const row = await accounts.revokeApiKey(caller.tenant.id, params.id);
    if (!row) throw notFound('API key');
    return toApiKey(row);
  });
}
