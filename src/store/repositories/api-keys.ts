import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, newestFirst, toPage } from '../pagination.js';
import { apiKeys } from '../schema.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export class ApiKeyRepository {
  constructor(private readonly db: Db) {}

  async create(input: { tenantId: string; name: string; role: string; prefix: string; keyHash: string; createdBy: string | null }): Promise<ApiKeyRow> {
    const [row] = await this.db.insert(apiKeys).values(input).returning();
    return row!;
  }

  async activeByHash(keyHash: string): Promise<ApiKeyRow | null> {
    const [row] = await this.db.select().from(apiKeys).where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt))).limit(1);
    return row ?? null;
  }

  async list(tenantId: string, query: { limit: number; cursor?: string | undefined }) {
    const rows = await this.db.select().from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), afterCursor(apiKeys.createdAt, apiKeys.id, decodeCursor(query.cursor))))
      .orderBy(...newestFirst(apiKeys.createdAt, apiKeys.id)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async revoke(tenantId: string, id: string): Promise<ApiKeyRow | null> {
    const [row] = await this.db.update(apiKeys).set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id))).returning();
    return row ?? null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
  }
}
