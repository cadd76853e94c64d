import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../database.js';
import { flagChanges, flagOverrides } from '../schema.js';

export type FlagChangeRow = typeof flagChanges.$inferSelect;

export class FlagRepository {
  constructor(private readonly db: Db) {}

  async overrides(tenantId: string): Promise<Map<string, string>> {
    const rows = await this.db.select().from(flagOverrides).where(eq(flagOverrides.tenantId, tenantId));
    return new Map(rows.map((r) => [r.flag, r.value]));
  }

  /** Sets (or with `null` removes) an override and records the change, in one transaction. */
  async setOverride(tenantId: string, flag: string, value: string | null, changedBy: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [old] = await tx.select().from(flagOverrides)
        .where(and(eq(flagOverrides.tenantId, tenantId), eq(flagOverrides.flag, flag))).limit(1);
      if (value === null) {
        await tx.delete(flagOverrides).where(and(eq(flagOverrides.tenantId, tenantId), eq(flagOverrides.flag, flag)));
      } else {
        await tx.insert(flagOverrides).values({ tenantId, flag, value, updatedBy: changedBy })
          .onConflictDoUpdate({ target: [flagOverrides.tenantId, flagOverrides.flag], set: { value, updatedBy: changedBy, updatedAt: new Date() } });
      }
      await tx.insert(flagChanges).values({ tenantId, subject: `flag:${flag}`, oldValue: old?.value ?? null, newValue: value, changedBy });
    });
  }

  async recordChange(tenantId: string, subject: string, oldValue: string | null, newValue: string | null, changedBy: string): Promise<void> {
    await this.db.insert(flagChanges).values({ tenantId, subject, oldValue, newValue, changedBy });
  }

  /** Newest first; the cursor is the id of the last change seen. */
  async changes(tenantId: string, query: { limit: number; cursor?: string | undefined }): Promise<{ items: FlagChangeRow[]; nextCursor: string | null }> {
    const before = query.cursor ? Number(Buffer.from(query.cursor, 'base64url').toString('utf8')) : null;
    if (before !== null && !Number.isSafeInteger(before)) throw new RangeError('cursor');
    const rows = await this.db.select().from(flagChanges)
      .where(and(eq(flagChanges.tenantId, tenantId), before !== null ? lt(flagChanges.id, before) : undefined))
      .orderBy(desc(flagChanges.id)).limit(query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? Buffer.from(String(last.id)).toString('base64url') : null };
  }
}
