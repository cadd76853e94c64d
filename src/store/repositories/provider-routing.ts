import { eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { providerRouting } from '../schema.js';

export type ProviderRoutingRow = typeof providerRouting.$inferSelect;

/** A tenant's stored AI provider routing (one row per tenant). */
export class ProviderRoutingRepository {
  constructor(private readonly db: Db) {}

  async get(tenantId: string): Promise<ProviderRoutingRow | null> {
    const [row] = await this.db.select().from(providerRouting).where(eq(providerRouting.tenantId, tenantId)).limit(1);
    return row ?? null;
  }

  async put(tenantId: string, value: Pick<ProviderRoutingRow, 'policy' | 'providers'>, updatedBy: string): Promise<ProviderRoutingRow> {
    const set = { policy: value.policy, providers: value.providers, updatedBy, updatedAt: new Date() };
    const [row] = await this.db.insert(providerRouting).values({ tenantId, ...set })
      .onConflictDoUpdate({ target: providerRouting.tenantId, set }).returning();
    return row!;
  }
}
