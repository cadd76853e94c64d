import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { callEvents, transcriptSegments } from '../schema.js';

export type CallEventRow = typeof callEvents.$inferSelect;
export type TranscriptSegmentRow = typeof transcriptSegments.$inferSelect;

/** A call's timeline (events) and its final transcript segments; both append-only. */
export class CallTimelineRepository {
  constructor(private readonly db: Db) {}

  async append(input: { callId: string; tenantId: string; type: string; at?: Date; data?: Record<string, unknown> }): Promise<void> {
    await this.db.insert(callEvents).values({ ...input, at: input.at ?? new Date(), data: input.data ?? {} });
  }

  /** Events in the order they happened (insertion order; `at` may tie). */
  async events(tenantId: string, callId: string, limit = 2000): Promise<CallEventRow[]> {
    return this.db.select().from(callEvents).where(and(eq(callEvents.tenantId, tenantId), eq(callEvents.callId, callId)))
      .orderBy(asc(callEvents.id)).limit(limit);
  }

  async addSegment(input: { callId: string; tenantId: string; speaker: string; text: string; startMs: number; endMs: number }): Promise<void> {
    await this.db.insert(transcriptSegments).values({ ...input, startMs: Math.round(input.startMs), endMs: Math.round(input.endMs) });
  }

  async segments(tenantId: string, callId: string, limit = 5000): Promise<TranscriptSegmentRow[]> {
    return this.db.select().from(transcriptSegments)
      .where(and(eq(transcriptSegments.tenantId, tenantId), eq(transcriptSegments.callId, callId)))
      .orderBy(asc(transcriptSegments.startMs), asc(transcriptSegments.id)).limit(limit);
  }
}
