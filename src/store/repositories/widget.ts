import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, newestFirst, toPage } from '../pagination.js';
import { calls, contacts, conversationMessages, widgetKeys } from '../schema.js';

export type WidgetKeyRow = typeof widgetKeys.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type MessageRow = typeof conversationMessages.$inferSelect;

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

  /** Calls linked to the contact (the browser-voice call carries `contactId` in its metadata). */
  async contactCalls(tenantId: string, contactId: string) {
    return this.db.select({ id: calls.id, state: calls.state, startedAt: calls.startedAt, endedAt: calls.endedAt }).from(calls)
      .where(and(eq(calls.tenantId, tenantId), sql`${calls.metadata}->>'contactId' = ${contactId}`)).orderBy(asc(calls.startedAt));
  }
}
