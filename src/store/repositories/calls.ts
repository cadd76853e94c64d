import { and, asc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, newestFirst, toPage } from '../pagination.js';
import { calls } from '../schema.js';

export type CallRow = typeof calls.$inferSelect;
export type NewCallRow = typeof calls.$inferInsert;

export interface CallListQuery {
  limit: number;
  cursor?: string | undefined;
  state?: string | undefined;
  direction?: string | undefined;
  carrier?: string | undefined;
  /** Search in the from and to numbers. */
  q?: string | undefined;
  /** Only calls of these queues or assigned to this user (an agent's board); absent = all. */
  visibleTo?: { userId: string | null; queues: readonly string[] } | null | undefined;
}

export type CallPatch = Partial<Pick<NewCallRow, 'answeredAt' | 'endedAt' | 'hangupCause' | 'hangupSource'>>;

/** Calls. State changes are compare-and-set, so two instances (or a webhook and a media socket) cannot both end a call. */
export class CallRepository {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the call unless `(carrier, carrierCallId)` exists; either way returns the stored row and whether it is
   * new. This is what makes a repeated carrier webhook one call.
   */
  async createOrGet(row: NewCallRow): Promise<{ call: CallRow; created: boolean }> {
    const [inserted] = await this.db.insert(calls).values(row).onConflictDoNothing().returning();
    if (inserted) return { call: inserted, created: true };
    const existing = row.carrierCallId ? await this.byCarrierId(row.carrier, row.carrierCallId) : null;
    if (!existing) throw new Error('call insert conflicted but no existing call was found');
    return { call: existing, created: false };
  }

  async byId(tenantId: string, id: string): Promise<CallRow | null> {
    const [row] = await this.db.select().from(calls).where(and(eq(calls.tenantId, tenantId), eq(calls.id, id))).limit(1);
    return row ?? null;
  }

  /** Across tenants, for carrier requests that name our call id (outbound answer webhooks) before the tenant is known. */
  async byIdAnyTenant(id: string): Promise<CallRow | null> {
    const [row] = await this.db.select().from(calls).where(eq(calls.id, id)).limit(1);
    return row ?? null;
  }

  async byCarrierId(carrier: string, carrierCallId: string): Promise<CallRow | null> {
    const [row] = await this.db.select().from(calls).where(and(eq(calls.carrier, carrier), eq(calls.carrierCallId, carrierCallId))).limit(1);
    return row ?? null;
  }

  async list(tenantId: string, query: CallListQuery) {
    const t = calls;
    const filters: (SQL | undefined)[] = [eq(t.tenantId, tenantId), afterCursor(t.startedAt, t.id, decodeCursor(query.cursor))];
    if (query.state) filters.push(eq(t.state, query.state));
    if (query.direction) filters.push(eq(t.direction, query.direction));
    if (query.carrier) filters.push(eq(t.carrier, query.carrier));
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      filters.push(or(ilike(t.fromNumber, pattern), ilike(t.toNumber, pattern)));
    }
    if (query.visibleTo) {
      const { userId, queues } = query.visibleTo;
      const own = userId ? eq(t.assigneeUserId, userId) : undefined;
      filters.push(queues.length > 0 ? or(inArray(t.queue, [...queues]), own) : (own ?? sql`false`));
    }
    const rows = await this.db.select().from(t).where(and(...filters)).orderBy(...newestFirst(t.startedAt, t.id)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.startedAt, id: r.id }));
  }

  /** Calls of any tenant still ringing since before `startedBefore` (oldest first): their media never came. */
  async ringingSince(startedBefore: Date, limit: number): Promise<CallRow[]> {
    return this.db.select().from(calls).where(and(eq(calls.state, 'ringing'), lt(calls.startedAt, startedBefore)))
      .orderBy(asc(calls.startedAt)).limit(limit);
  }

  /** Moves the call to `to` only if it is in one of `from`; null when it was not (someone else moved it first). */
  async transition(id: string, from: readonly string[], to: string, patch: CallPatch = {}): Promise<CallRow | null> {
    const [row] = await this.db.update(calls).set({ ...patch, state: to })
      .where(and(eq(calls.id, id), inArray(calls.state, [...from]))).returning();
    return row ?? null;
  }

  /** Binds the carrier's id to an outbound call once the carrier answered the dial request. */
  async bindCarrierId(id: string, carrierCallId: string): Promise<CallRow | null> {
    const [row] = await this.db.update(calls).set({ carrierCallId })
      .where(and(eq(calls.id, id), or(isNull(calls.carrierCallId), eq(calls.carrierCallId, carrierCallId)))).returning();
    return row ?? null;
  }

  /** The user who took the call over (or null when handed back to nobody). */
  async setAssignee(id: string, userId: string | null): Promise<CallRow | null> {
    const [row] = await this.db.update(calls).set({ assigneeUserId: userId }).where(eq(calls.id, id)).returning();
    return row ?? null;
  }

  /** Transferred to an agent: the call becomes theirs and waits on hold until they take it over. */
  async assignForTransfer(id: string, userId: string): Promise<CallRow | null> {
    const [row] = await this.db.update(calls).set({ assigneeUserId: userId, awaitingAssignee: true }).where(eq(calls.id, id)).returning();
    return row ?? null;
  }

  /** The transferred call stopped waiting for its agent (they or someone else took it over, or it left hold). */
  async clearAwaitingAssignee(id: string): Promise<void> {
    await this.db.update(calls).set({ awaitingAssignee: false }).where(and(eq(calls.id, id), eq(calls.awaitingAssignee, true)));
  }

  /** A person took the call over (true) or handed it back to the AI agent (false). */
  async setAiPaused(id: string, aiPaused: boolean): Promise<void> {
    await this.db.update(calls).set({ aiPaused }).where(eq(calls.id, id));
  }

  /** The instance whose process now holds the call's media leg. */
  async setMediaInstance(id: string, instanceId: string): Promise<void> {
    await this.db.update(calls).set({ mediaInstance: instanceId }).where(eq(calls.id, id));
  }

  async setRecording(id: string, recordingPath: string): Promise<void> {
    await this.db.update(calls).set({ recordingPath }).where(eq(calls.id, id));
  }

  /** Shallow-merges keys into the call's metadata. */
  async mergeMetadata(id: string, data: Record<string, unknown>): Promise<void> {
    await this.db.update(calls).set({ metadata: sql`${calls.metadata} || ${JSON.stringify(data)}::jsonb` }).where(eq(calls.id, id));
  }
}
