import { eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { tenants } from '../schema.js';

export type TenantRow = typeof tenants.$inferSelect;

export class TenantRepository {
  constructor(private readonly db: Db) {}

  async create(input: { name: string; slug: string }): Promise<TenantRow> {
    const [row] = await this.db.insert(tenants).values(input).returning();
    return row!;
  }

  async byId(id: string): Promise<TenantRow | null> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
    return row ?? null;
  }

  async bySlug(slug: string): Promise<TenantRow | null> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
    return row ?? null;
  }

  async setScenario(id: string, scenario: string | null): Promise<void> {
    await this.db.update(tenants).set({ scenario }).where(eq(tenants.id, id));
  }

  async all(): Promise<TenantRow[]> {
    return this.db.select().from(tenants);
  }
}
