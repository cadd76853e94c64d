import { and, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { flowProviderRouting, providerRouting } from '../schema.js';

export type ProviderRoutingRow = typeof providerRouting.$inferSelect;
export type FlowProviderRoutingRow = typeof flowProviderRouting.$inferSelect;
type RoutingValue = Pick<ProviderRoutingRow, 'policy' | 'providers'>;

/** A tenant's stored AI provider routing (one row per tenant), and its flows' overrides (one row per flow). */
export class ProviderRoutingRepository {
  constructor(private readonly db: Db) {}

  async get(tenantId: string): Promise<ProviderRoutingRow | null> {
    const [row] = await this.db.select().from(providerRouting).where(eq(providerRouting.tenantId, tenantId)).limit(1);
    return row ?? null;
  }

  async put(tenantId: string, value: RoutingValue, updatedBy: string): Promise<ProviderRoutingRow> {
    const set = { policy: value.policy, providers: value.providers, updatedBy, updatedAt: new Date() };
    const [row] = await this.db.insert(providerRouting).values({ tenantId, ...set })
      .onConflictDoUpdate({ target: providerRouting.tenantId, set }).returning();
    return row!;
  }

  /** Removes the tenant's routing (back to the scenario's or the configured order); true when one was stored. */
  async delete(tenantId: string): Promise<boolean> {
    return (await this.db.delete(providerRouting).where(eq(providerRouting.tenantId, tenantId)).returning()).length > 0;
  }

  async getForFlow(tenantId: string, flowId: string): Promise<FlowProviderRoutingRow | null> {
    const [row] = await this.db.select().from(flowProviderRouting)
      .where(and(eq(flowProviderRouting.tenantId, tenantId), eq(flowProviderRouting.flowId, flowId))).limit(1);
    return row ?? null;
  }

  async putForFlow(tenantId: string, flowId: string, value: RoutingValue, updatedBy: string): Promise<FlowProviderRoutingRow> {
    const set = { policy: value.policy, providers: value.providers, updatedBy, updatedAt: new Date() };
    const [row] = await this.db.insert(flowProviderRouting).values({ tenantId, flowId, ...set })
      .onConflictDoUpdate({ target: flowProviderRouting.flowId, set }).returning();
    return row!;
  }

  async deleteForFlow(tenantId: string, flowId: string): Promise<boolean> {
    const deleted = await this.db.delete(flowProviderRouting)
      .where(and(eq(flowProviderRouting.tenantId, tenantId), eq(flowProviderRouting.flowId, flowId))).returning();
    return deleted.length > 0;
  }
}
