import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../database.js';
import { systemSecrets } from '../schema.js';

/** Secrets shared by every instance on one database; created by whichever instance asks first. */
export class SecretRepository {
  constructor(private readonly db: Db) {}

  async getOrCreate(name: string, make: () => string = () => randomBytes(32).toString('base64url')): Promise<string> {
    await this.db.insert(systemSecrets).values({ name, value: make() }).onConflictDoNothing();
    const [row] = await this.db.select().from(systemSecrets).where(eq(systemSecrets.name, name)).limit(1);
    return row!.value;
  }
}
