import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { ScenarioName } from '../../contracts/flags.js';
import { SCENARIOS } from '../../flags/scenarios.js';
import type { Platform } from '../../platform.js';
import { route } from '../route.js';

export async function registerFlagRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, flags, repos } = platform;

  const scenarios = async (tenantId: string) => ({
    active: await flags.scenario(tenantId),
    scenarios: SCENARIOS.map((s) => ({ ...s, providers: { ...s.providers, fallbacks: [...s.providers.fallbacks] } })),
  });

  route(app, accounts, operations.listFlags, async ({ caller }) => ({
    environment: flags.environment,
    scenario: await flags.scenario(caller.tenant.id),
    flags: await flags.list(caller.tenant.id, caller.subjectKey),
  }));

  route(app, accounts, operations.setFlag, async ({ caller, params, body }) => {
    await flags.setOverride(caller.tenant.id, params.name, body.value, caller.label);
    return flags.get(caller.tenant.id, params.name, caller.subjectKey);
  });

  route(app, accounts, operations.clearFlag, async ({ caller, params }) => {
    await flags.setOverride(caller.tenant.id, params.name, null, caller.label);
    return flags.get(caller.tenant.id, params.name, caller.subjectKey);
  });

  route(app, accounts, operations.listFlagChanges, async ({ caller, query }) => {
    const page = await repos.flags.changes(caller.tenant.id, query);
    return { items: page.items.map((c) => ({ ...c, changedAt: c.changedAt.toISOString() })), nextCursor: page.nextCursor };
  });

  route(app, accounts, operations.listScenarios, ({ caller }) => scenarios(caller.tenant.id));

  route(app, accounts, operations.setScenario, async ({ caller, body }) => {
    await flags.setScenario(caller.tenant.id, body.scenario as ScenarioName | null, caller.label);
    return scenarios(caller.tenant.id);
  });
}
