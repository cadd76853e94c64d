import { and, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, newestFirst, toPage } from '../pagination.js';
import { conversationSessions } from '../schema.js';

export type SessionRow = typeof conversationSessions.$inferSelect;
export type NewSessionRow = typeof conversationSessions.$inferInsert;

export interface SessionListQuery {
  limit: number;
  cursor?: string | undefined;
  channel?: string | undefined;
  status?: string | undefined;
  q?: string | undefined;
}

const COLUMNS = ['id', 'tenantId', 'channel', 'status', 'provider', 'flow', 'persona', 'instructions', 'language', 'temperature',
  'phoneNumber', 'campaign', 'metadata', 'createdBy', 'createdAt', 'expiresAt'] as const;

export class SessionRepository {
  /** Session creation is the bootstrap API's hot path: one named prepared statement, parsed once per connection. */
  private readonly insert;

  constructor(private readonly db: Db) {
    const placeholders = Object.fromEntries(COLUMNS.map((c) => [c, sql.placeholder(c)])) as unknown as NewSessionRow;
    // Microsecond database time unless the caller fixed one, so rows created in the same millisecond keep their order.
    placeholders.createdAt = sql`coalesce(${sql.placeholder('createdAt')}::timestamptz, clock_timestamp())` as unknown as Date;
    this.insert = db.insert(conversationSessions).values(placeholders).returning().prepare('sb_insert_session');
  }

  async create(row: NewSessionRow): Promise<SessionRow> {
    const values: Record<string, unknown> = {};
    for (const c of COLUMNS) values[c] = row[c] ?? null;
    values['metadata'] = row.metadata ?? {};
    values['createdAt'] = row.createdAt ?? null;
    const [created] = await this.insert.execute(values);
    return created!;
  }

  async byId(tenantId: string, id: string): Promise<SessionRow | null> {
    const [row] = await this.db.select().from(conversationSessions)
      .where(and(eq(conversationSessions.tenantId, tenantId), eq(conversationSessions.id, id))).limit(1);
    return row ?? null;
  }

  async list(tenantId: string, query: SessionListQuery) {
    const t = conversationSessions;
    const filters: (SQL | undefined)[] = [eq(t.tenantId, tenantId), afterCursor(t.createdAt, t.id, decodeCursor(query.cursor))];
    if (query.channel) filters.push(eq(t.channel, query.channel));
    if (query.status) filters.push(eq(t.status, query.status));
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filters.push(or(ilike(t.phoneNumber, pattern), ilike(t.flow, pattern), ilike(t.campaign, pattern)));
    }
    const rows = await this.db.select().from(t).where(and(...filters)).orderBy(...newestFirst(t.createdAt, t.id)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  /** Ends a session once; a second end returns the row unchanged. */
  async end(tenantId: string, id: string, reason: string, at = new Date()): Promise<SessionRow | null> {
    const t = conversationSessions;
    const [row] = await this.db.update(t).set({ status: 'ended', endedAt: at, endReason: reason })
      .where(and(eq(t.tenantId, tenantId), eq(t.id, id), or(eq(t.status, 'created'), eq(t.status, 'active')))).returning();
    return row ?? this.byId(tenantId, id);
  }

  async setStatus(tenantId: string, id: string, status: string): Promise<void> {
    await this.db.update(conversationSessions).set({ status })
      .where(and(eq(conversationSessions.tenantId, tenantId), eq(conversationSessions.id, id)));
  }
}
