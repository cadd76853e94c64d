import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { route } from '../route.js';

/** Flows: create, validate, version, publish. Each version's definition comes back with a fresh validation. */
export async function registerFlowRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, flows } = platform;

  route(app, accounts, operations.listFlows, ({ caller, query }) => flows.list(caller.tenant.id, query));

  route(app, accounts, operations.createFlow, ({ caller, body }) => flows.create(caller.tenant.id, body, caller.label));

  route(app, accounts, operations.validateFlow, ({ body }) => flows.validate(body.definition));

  route(app, accounts, operations.getFlow, ({ caller, params }) => flows.get(caller.tenant.id, params.flow));

  route(app, accounts, operations.listFlowVersions, ({ caller, params, query }) => flows.versions(caller.tenant.id, params.flow, query));

  route(app, accounts, operations.createFlowVersion, ({ caller, params, body }) =>
    flows.addVersion(caller.tenant.id, params.flow, body.definition, caller.label));

  route(app, accounts, operations.getFlowVersion, ({ caller, params }) => flows.version(caller.tenant.id, params.flow, params.version));

  route(app, accounts, operations.publishFlowVersion, ({ caller, params }) => flows.publish(caller.tenant.id, params.flow, params.version));
}
