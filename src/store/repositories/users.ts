import { and, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, newestFirst, toPage } from '../pagination.js';
import { users } from '../schema.js';

export type UserRow = typeof users.$inferSelect;

export class UserRepository {
  constructor(private readonly db: Db) {}

  async create(input: { tenantId: string; email: string; name: string; role: string; passwordHash: string }): Promise<UserRow> {
    const [row] = await this.db.insert(users).values({ ...input, email: input.email.toLowerCase() }).returning();
    return row!;
  }

  async byEmail(email: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
    return row ?? null;
  }

  /** Tenant-scoped: a user of another tenant is simply not found. */
  async byId(tenantId: string, id: string): Promise<UserRow | null> {
    const [row] = await this.db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id))).limit(1);
    return row ?? null;
  }

  async list(tenantId: string, query: { limit: number; cursor?: string | undefined; q?: string | undefined; role?: string | undefined }) {
    const filters: (SQL | undefined)[] = [eq(users.tenantId, tenantId), afterCursor(users.createdAt, users.id, decodeCursor(query.cursor))];
    if (query.role) filters.push(eq(users.role, query.role));
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filters.push(or(ilike(users.email, pattern), ilike(users.name, pattern)));
    }
    const rows = await this.db.select().from(users).where(and(...filters))
      .orderBy(...newestFirst(users.createdAt, users.id)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  /** The queues whose calls the user sees and may take over. */
  async setQueues(tenantId: string, id: string, queues: string[]): Promise<UserRow | null> {
    const [row] = await this.db.update(users).set({ queues }).where(and(eq(users.tenantId, tenantId), eq(users.id, id))).returning();
    return row ?? null;
  }

  async countInTenant(tenantId: string): Promise<number> {
    const rows = await this.db.select({ id: users.id }).from(users).where(eq(users.tenantId, tenantId));
    return rows.length;
  }
}
