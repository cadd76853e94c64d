import type { z } from 'zod';
import type { createNumberRequest, PhoneNumber, updateNumberRequest } from '../contracts/telephony.js';
import type { Repositories } from '../store/index.js';
import { DuplicateNumberError, type PhoneNumberListQuery } from '../store/repositories/phone-numbers.js';
import type { AgentRegistry } from './agents/registry.js';
import { CallError } from './errors.js';
import { toPhoneNumber } from './views.js';

/** A tenant's phone numbers and what answers each; the agent kind must be one this server can build. */
export class PhoneNumbers {
  constructor(private readonly repos: Pick<Repositories, 'phoneNumbers'>, private readonly agents: AgentRegistry) {}

  async create(tenantId: string, input: z.output<typeof createNumberRequest>): Promise<PhoneNumber> {
    this.checkAgent(input.agentKind);
    try {
      return toPhoneNumber(await this.repos.phoneNumbers.create({
        tenantId, number: input.number, carrier: input.carrier, agentKind: input.agentKind, flowId: input.flowId ?? null,
        greeting: input.greeting ?? null, options: input.options,
      }));
    } catch (err) {
      if (err instanceof DuplicateNumberError) throw new CallError(409, 'conflict', `${input.number} is already configured`);
      throw err;
    }
  }

  async get(tenantId: string, id: string): Promise<PhoneNumber | null> {
    const row = await this.repos.phoneNumbers.byId(tenantId, id);
    return row ? toPhoneNumber(row) : null;
  }

  async list(tenantId: string, query: PhoneNumberListQuery) {
    const page = await this.repos.phoneNumbers.list(tenantId, query);
    return { items: page.items.map(toPhoneNumber), nextCursor: page.nextCursor };
  }

  async update(tenantId: string, id: string, patch: z.output<typeof updateNumberRequest>): Promise<PhoneNumber | null> {
    if (patch.agentKind) this.checkAgent(patch.agentKind);
    const row = await this.repos.phoneNumbers.update(tenantId, id, patch);
    return row ? toPhoneNumber(row) : null;
  }

  async delete(tenantId: string, id: string): Promise<PhoneNumber | null> {
    const row = await this.repos.phoneNumbers.delete(tenantId, id);
    return row ? toPhoneNumber(row) : null;
  }

  private checkAgent(kind: string): void {
    if (!this.agents.has(kind)) {
      throw new CallError(400, 'validation_failed', `no agent of kind ${kind} on this server (known: ${this.agents.kinds().join(', ')})`,
        [{ path: 'body.agentKind', message: `unknown agent kind ${kind}` }]);
    }
  }
}
