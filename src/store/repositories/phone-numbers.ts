import { and, asc, eq, ilike, type SQL } from 'drizzle-orm';
import type { Db } from '../database.js';
import { afterCursor, decodeCursor, newestFirst, toPage } from '../pagination.js';
import { phoneNumbers } from '../schema.js';

export type PhoneNumberRow = typeof phoneNumbers.$inferSelect;
export type NewPhoneNumberRow = typeof phoneNumbers.$inferInsert;

export interface PhoneNumberListQuery {
  limit: number;
  cursor?: string | undefined;
  carrier?: string | undefined;
  q?: string | undefined;
}

/** Unique E.164 violations surface as this, so the API can answer 409 instead of 500. */
export class DuplicateNumberError extends Error {
  constructor(number: string) { super(`${number} is already configured`); this.name = 'DuplicateNumberError'; }
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export class PhoneNumberRepository {
  constructor(private readonly db: Db) {}

  async create(row: NewPhoneNumberRow): Promise<PhoneNumberRow> {
    try {
      const [created] = await this.db.insert(phoneNumbers).values(row).returning();
      return created!;
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateNumberError(row.number);
      throw err;
    }
  }

  /** Inserts unless the number exists anywhere (seeding). */
  async createIfMissing(row: NewPhoneNumberRow): Promise<boolean> {
    const rows = await this.db.insert(phoneNumbers).values(row).onConflictDoNothing().returning({ id: phoneNumbers.id });
    return rows.length > 0;
  }

  async byId(tenantId: string, id: string): Promise<PhoneNumberRow | null> {
    const [row] = await this.db.select().from(phoneNumbers).where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.id, id))).limit(1);
    return row ?? null;
  }

  /** Across tenants: an inbound call finds its tenant by the number it dialled. */
  async byNumber(number: string): Promise<PhoneNumberRow | null> {
    const [row] = await this.db.select().from(phoneNumbers).where(eq(phoneNumbers.number, number)).limit(1);
    return row ?? null;
  }

  /** The tenant's numbers at one carrier, oldest first (the default caller id of outbound calls is the first). */
  async forCarrier(tenantId: string, carrier: string): Promise<PhoneNumberRow[]> {
    return this.db.select().from(phoneNumbers).where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.carrier, carrier)))
      .orderBy(asc(phoneNumbers.createdAt), asc(phoneNumbers.id));
  }

  async list(tenantId: string, query: PhoneNumberListQuery) {
    const t = phoneNumbers;
    const filters: (SQL | undefined)[] = [eq(t.tenantId, tenantId), afterCursor(t.createdAt, t.id, decodeCursor(query.cursor))];
    if (query.carrier) filters.push(eq(t.carrier, query.carrier));
    if (query.q) filters.push(ilike(t.number, `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
    const rows = await this.db.select().from(t).where(and(...filters)).orderBy(...newestFirst(t.createdAt, t.id)).limit(query.limit + 1);
    return toPage(rows, query.limit, (r) => ({ at: r.createdAt, id: r.id }));
  }

  async update(tenantId: string, id: string, patch: Partial<Pick<NewPhoneNumberRow, 'carrier' | 'agentKind' | 'flowId' | 'greeting' | 'options'>>): Promise<PhoneNumberRow | null> {
    const [row] = await this.db.update(phoneNumbers).set({ ...patch, updatedAt: new Date() })
      .where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.id, id))).returning();
    return row ?? null;
  }

  async delete(tenantId: string, id: string): Promise<PhoneNumberRow | null> {
    const [row] = await this.db.delete(phoneNumbers).where(and(eq(phoneNumbers.tenantId, tenantId), eq(phoneNumbers.id, id))).returning();
    return row ?? null;
  }
}
