import { and, desc, eq, lt, or, type AnyColumn, type SQL } from 'drizzle-orm';

/** Keyset pagination over (created_at desc, id desc): stable under inserts, no OFFSET scans. */
export interface Cursor { at: Date; id: string }

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');
}

export class InvalidCursorError extends Error {
  constructor() { super('cursor is not one this API issued'); this.name = 'InvalidCursorError'; }
}

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'string' && (typeof value[1] === 'string' || typeof value[1] === 'number')) {
      const at = new Date(value[0]);
      if (!Number.isNaN(at.getTime())) return { at, id: String(value[1]) };
    }
  } catch { /* fall through */ }
  throw new InvalidCursorError();
}

/** WHERE part that continues after the cursor. */
export function afterCursor(createdAt: AnyColumn, id: AnyColumn, cursor: Cursor | null): SQL | undefined {
  if (!cursor) return undefined;
  return or(lt(createdAt, cursor.at), and(eq(createdAt, cursor.at), lt(id, cursor.id)));
}

export function newestFirst(createdAt: AnyColumn, id: AnyColumn): SQL[] {
  return [desc(createdAt), desc(id)];
}

/** Takes `limit + 1` rows, returns `limit` and the cursor of the next page when there is one. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => Cursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
