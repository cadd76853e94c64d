import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../database.js';
import { loginSessions } from '../schema.js';

export type LoginSessionRow = typeof loginSessions.$inferSelect;

export class LoginSessionRepository {
  constructor(private readonly db: Db) {}

  async create(row: typeof loginSessions.$inferInsert): Promise<void> {
    await this.db.insert(loginSessions).values(row);
  }

  async active(tokenHash: string, now = new Date()): Promise<LoginSessionRow | null> {
    const [row] = await this.db.select().from(loginSessions)
      .where(and(eq(loginSessions.tokenHash, tokenHash), gt(loginSessions.expiresAt, now))).limit(1);
    return row ?? null;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.delete(loginSessions).where(eq(loginSessions.tokenHash, tokenHash));
  }

  async deleteExpired(now = new Date()): Promise<void> {
    await this.db.delete(loginSessions).where(lt(loginSessions.expiresAt, now));
  }
}
