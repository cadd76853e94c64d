import type { FastifyInstance } from 'fastify';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

/** Carrier accounts of the tenant. Secrets go in and never come out, except demo credentials for the simulator. */
export async function registerCarrierRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, carrierAccounts } = platform;

  route(app, accounts, operations.listCarriers, async ({ caller }) => ({ items: await carrierAccounts.list(caller.tenant.id) }));

  route(app, accounts, operations.getCarrier, ({ caller, params }) => carrierAccounts.get(caller.tenant.id, params.carrier));

  route(app, accounts, operations.putCarrier, ({ caller, params, body }) => carrierAccounts.put(caller.tenant.id, params.carrier, body));

  route(app, accounts, operations.deleteCarrier, async ({ caller, params }) => {
    await carrierAccounts.delete(caller.tenant.id, params.carrier);
    return carrierAccounts.get(caller.tenant.id, params.carrier);
  });

  route(app, accounts, operations.getSimulatorCredentials, async ({ caller, params }) => {
    const credentials = await carrierAccounts.simulatorCredentials(caller.tenant.id, params.carrier);
    if (!credentials) throw new ApiError(404, 'not_found', `no demo ${params.carrier} credentials: only locally generated demo accounts can be read back`);
    return credentials;
  });
}
