/** First start: the demo tenant gets the example flows, published, so a number can be pointed at one at once. */
import type { Logger } from '../../infra/logger.js';
import type { Repositories } from '../../store/index.js';
import { EXAMPLE_FLOWS } from './examples/index.js';
import { validateFlow } from './validate.js';

export async function seedExampleFlows(repos: Pick<Repositories, 'flows'>, tenantId: string, log: Logger): Promise<string[]> {
  const existing = await repos.flows.list(tenantId, { limit: 1 });
  if (existing.items.length > 0) return [];
  const seeded: string[] = [];
  for (const input of EXAMPLE_FLOWS) {
    const check = validateFlow(input);
    if (!check.flow || !check.valid) {
      log.error({ flow: input.id, errors: check.errors }, 'example flow is invalid; not seeded');
      continue;
    }
    const created = await repos.flows.createIfMissing({
      tenantId, key: check.flow.id, name: check.flow.name, definition: check.flow as unknown as Record<string, unknown>,
      createdBy: 'system:seed', publish: true,
    });
    if (created) seeded.push(check.flow.id);
  }
  if (seeded.length) log.info({ flows: seeded }, 'seeded example flows');
  return seeded;
}
