import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, newestFirst, toPage } from '../pagination.js';
import { calls, contacts, conversationMessages, transcriptSegments, widgetKeys } from '../schema.js';

export type WidgetKeyRow = typeof widgetKeys.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type MessageRow = typeof conversationMessages.$inferSelect;
/** A final transcript line of one of a contact's calls; `at` = the call's start plus the line's offset. */
export interface ContactCallLine { callId: string; speaker: string; text: string; at: Date }

/** Not blank (matches what `String.trim()` leaves non-empty closely enough to count turns in SQL). */
const spoken = (column: typeof conversationMessages.text | typeof transcriptSegments.text) => sql`${column} ~ '\\S'`;

/** Widget keys, contacts and their chat messages. */
export class WidgetRepository {
  constructor(private readonly db: Db) {}

  async createKey(input: { tenantId: string; name: string; key: string; allowedOrigins: string[]; flow: string; createdBy: string | null }): Promise<WidgetKeyRow> {
    const [row] = await this.db.insert(widgetKeys).values(input).returning();
    return row!;
  }

  async keyByValue(key: string): Promise<WidgetKeyRow | null> {
    const [row] = await this.db.select().from(widgetKeys).where(eq(widgetKeys.key, key)).limit(1);
    return row ?? null;
  }

  async activeKeys(tenantId: string): Promise<WidgetKeyRow[]> {
    return this.db.select().from(widgetKeys).where(and(eq(widgetKeys.tenantId, tenantId), isNull(widgetKeys.revokedAt)));
  }

  async listKeys(tenantId: string, query: { limit: number; cursor?: string | undefined }) {
    const rows = await this.db.select().from(widgetKeys)
      .where(and(eq(widgetKeys.tenantId, tenantId), afterCursor(widgetKeys.createdAt, widgetKeys.id, decodeCursor(query.cursor))))
      .orderBy(...newestFirst(widgetKeys.createdAt, widgetKeys.id)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async revokeKey(tenantId: string, id: string): Promise<WidgetKeyRow | null> {
    const [row] = await this.db.update(widgetKeys).set({ revokedAt: sql`coalesce(${widgetKeys.revokedAt}, now())` })
      .where(and(eq(widgetKeys.tenantId, tenantId), eq(widgetKeys.id, id))).returning();
    return row ?? null;
  }

  async createContact(tenantId: string, widgetKeyId: string): Promise<ContactRow> {
    const [row] = await this.db.insert(contacts).values({ tenantId, widgetKeyId }).returning();
    return row!;
  }

  async contact(tenantId: string, id: string): Promise<ContactRow | null> {
    const [row] = await this.db.select().from(contacts).where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id))).limit(1);
    return row ?? null;
  }

  async saveFlowState(tenantId: string, id: string, flowState: Record<string, unknown> | null): Promise<void> {
    await this.db.update(contacts).set({ flowState, lastSeenAt: new Date() }).where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
  }

  /** Appends a message; with a `clientId` already stored for the contact, answers that one and `created: false`. */
  async appendMessage(input: { tenantId: string; contactId: string; clientId: string | null; author: string; text: string; channel: string }): Promise<{ row: MessageRow; created: boolean }> {
    const [row] = await this.db.insert(conversationMessages).values(input).onConflictDoNothing().returning();
    if (row) return { row, created: true };
    const [existing] = await this.db.select().from(conversationMessages)
      .where(and(eq(conversationMessages.contactId, input.contactId), eq(conversationMessages.clientId, input.clientId ?? ''))).limit(1);
    return { row: existing!, created: false };
  }

  async messages(tenantId: string, contactId: string, afterSeq = 0, limit = 500): Promise<MessageRow[]> {
    return this.db.select().from(conversationMessages)
      .where(and(eq(conversationMessages.tenantId, tenantId), eq(conversationMessages.contactId, contactId), gt(conversationMessages.seq, afterSeq)))
      .orderBy(asc(conversationMessages.seq)).limit(limit);
  }

  /**
   * The contact's last `limit` spoken chat messages (visitor and agent, not blank), oldest first; with `beforeSeq`,
   * only older ones. A chat turn reads this instead of the whole conversation (the flow keeps its last lines only).
   */
  async recentChat(tenantId: string, contactId: string, options: { limit: number; beforeSeq?: number | undefined }): Promise<MessageRow[]> {
    const rows = await this.db.select().from(conversationMessages)
      .where(and(
        eq(conversationMessages.tenantId, tenantId), eq(conversationMessages.contactId, contactId), eq(conversationMessages.channel, 'chat'),
        inArray(conversationMessages.author, ['visitor', 'agent']), spoken(conversationMessages.text),
        options.beforeSeq !== undefined ? lt(conversationMessages.seq, options.beforeSeq) : undefined,
      ))
      .orderBy(desc(conversationMessages.seq)).limit(options.limit);
    return rows.reverse();
  }

  /**
   * The last `limit` non-blank final transcript lines across the contact's calls (but `excludeCall`), in the order
   * they were said: call start plus the line's offset, then call start, then the line's own order.
   */
  async recentCallLines(tenantId: string, contactId: string, options: { limit: number; excludeCall?: string | undefined }): Promise<ContactCallLine[]> {
    const at = sql`${calls.startedAt} + ${transcriptSegments.startMs} * interval '1 millisecond'`;
    const rows = await this.db.select({
      callId: calls.id, speaker: transcriptSegments.speaker, text: transcriptSegments.text, startedAt: calls.startedAt, startMs: transcriptSegments.startMs,
    }).from(transcriptSegments).innerJoin(calls, eq(calls.id, transcriptSegments.callId))
      .where(and(
        eq(calls.tenantId, tenantId), sql`${calls.metadata}->>'contactId' = ${contactId}`, eq(transcriptSegments.tenantId, tenantId),
        spoken(transcriptSegments.text), options.excludeCall !== undefined ? ne(calls.id, options.excludeCall) : undefined,
      ))
      .orderBy(desc(at), desc(calls.startedAt), desc(calls.id), desc(transcriptSegments.startMs), desc(transcriptSegments.id)).limit(options.limit);
    return rows.reverse().map((r) => ({ callId: r.callId, speaker: r.speaker, text: r.text, at: new Date(r.startedAt.getTime() + r.startMs) }));
  }

  /** Calls linked to the contact (the browser-voice call carries `contactId` in its metadata). */
  async contactCalls(tenantId: string, contactId: string) {
    return this.db.select({ id: calls.id, state: calls.state, startedAt: calls.startedAt, endedAt: calls.endedAt }).from(calls)
      .where(and(eq(calls.tenantId, tenantId), sql`${calls.metadata}->>'contactId' = ${contactId}`)).orderBy(asc(calls.startedAt));
  }
}
