import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { carrierAccounts } from '../schema.js';

export type CarrierAccountRow = typeof carrierAccounts.$inferSelect;

/** A tenant's carrier accounts. `credentials` arrives here already sealed; this layer never sees secrets in clear. */
export class CarrierAccountRepository {
  constructor(private readonly db: Db) {}

  /** Creates or replaces the tenant's account at `carrier`. */
  async put(input: { tenantId: string; carrier: string; publicId: string | null; credentials: string; demo: boolean }): Promise<CarrierAccountRow> {
    const now = new Date();
    const [row] = await this.db.insert(carrierAccounts).values({ ...input, updatedAt: now })
      .onConflictDoUpdate({
        target: [carrierAccounts.tenantId, carrierAccounts.carrier],
        set: { publicId: input.publicId, credentials: input.credentials, demo: input.demo, updatedAt: now },
      }).returning();
    return row!;
  }

  /** Inserts unless the tenant already has an account at that carrier (seeding from several instances at once). */
  async putIfMissing(input: { tenantId: string; carrier: string; publicId: string | null; credentials: string; demo: boolean }): Promise<boolean> {
    const rows = await this.db.insert(carrierAccounts).values(input).onConflictDoNothing().returning({ id: carrierAccounts.id });
    return rows.length > 0;
  }

  async get(tenantId: string, carrier: string): Promise<CarrierAccountRow | null> {
    const [row] = await this.db.select().from(carrierAccounts)
      .where(and(eq(carrierAccounts.tenantId, tenantId), eq(carrierAccounts.carrier, carrier))).limit(1);
    return row ?? null;
  }

  async list(tenantId: string): Promise<CarrierAccountRow[]> {
    return this.db.select().from(carrierAccounts).where(eq(carrierAccounts.tenantId, tenantId)).orderBy(asc(carrierAccounts.carrier));
  }

  async delete(tenantId: string, carrier: string): Promise<boolean> {
    const rows = await this.db.delete(carrierAccounts)
      .where(and(eq(carrierAccounts.tenantId, tenantId), eq(carrierAccounts.carrier, carrier))).returning({ id: carrierAccounts.id });
    return rows.length > 0;
  }
}
