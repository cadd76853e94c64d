import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepositories, openDatabase, type Database, type Repositories } from '../../src/store/index.js';
import { createTestDatabase } from '../support/services.js';

/** The same repository tests against embedded PGlite and the machine's PostgreSQL. */
describe.each(['pglite', 'postgres'] as const)('repositories on %s', (kind) => {
  let database: Database;
  let repos: Repositories;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (kind === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'sb-store-'));
      database = await openDatabase({ dataDir: dir });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const db = await createTestDatabase();
      database = await openDatabase({ dataDir: '', url: db.url });
      cleanup = db.drop;
    }
    await database.migrate();
    repos = createRepositories(database.db);
  });

  afterAll(async () => {
    await database.close();
    await cleanup();
  });

  it('applies migrations idempotently and reports them applied', async () => {
    await database.migrate();
    expect(await database.migrationsApplied()).toBe(true);
    expect(database.kind).toBe(kind);
  });

  it('keeps tenants apart in user lists and lookups', async () => {
    const a = await repos.tenants.create({ name: 'A', slug: `a-${kind}` });
    const b = await repos.tenants.create({ name: 'B', slug: `b-${kind}` });
    const ua = await repos.users.create({ tenantId: a.id, email: `x@a-${kind}.test`, name: 'Xa', role: 'agent', passwordHash: 'h' });
    await repos.users.create({ tenantId: b.id, email: `x@b-${kind}.test`, name: 'Xb', role: 'agent', passwordHash: 'h' });
    expect(await repos.users.byId(b.id, ua.id)).toBeNull();
    const listA = await repos.users.list(a.id, { limit: 10, q: 'x@' });
    expect(listA.items.map((u) => u.email)).toEqual([`x@a-${kind}.test`]);
  });

  it('paginates newest first with a stable cursor, no duplicates and no gaps, also across equal timestamps', async () => {
    const t = await repos.tenants.create({ name: 'P', slug: `p-${kind}` });
    const tie = new Date(Date.now() - 1000);
    for (let i = 0; i < 9; i++) {
      // Rows 2–5 share one millisecond; the others get the database clock.
      const createdAt = i >= 2 && i <= 5 ? tie : undefined;
      await repos.sessions.create({ id: crypto.randomUUID(), tenantId: t.id, channel: 'chat', status: 'created', language: 'en-US', createdBy: 'test', expiresAt: new Date(Date.now() + 60_000), metadata: { i }, ...(createdAt ? { createdAt } : {}) });
    }
    const whole = (await repos.sessions.list(t.id, { limit: 50 })).items.map((s) => s.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repos.sessions.list(t.id, { limit: 2, cursor });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(whole);
    expect(new Set(seen).size).toBe(9);
    const rows = (await repos.sessions.list(t.id, { limit: 50 })).items;
    for (let k = 1; k < rows.length; k++) expect(rows[k - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(rows[k]!.createdAt.getTime());
  });

  it('records flag overrides with who changed them', async () => {
    const t = await repos.tenants.create({ name: 'F', slug: `f-${kind}` });
    await repos.flags.setOverride(t.id, 'web-chat', 'on', 'user:a@b.c');
    await repos.flags.setOverride(t.id, 'web-chat', '25%', 'user:a@b.c');
    await repos.flags.setOverride(t.id, 'web-chat', null, 'user:d@e.f');
    expect((await repos.flags.overrides(t.id)).size).toBe(0);
    const changes = await repos.flags.changes(t.id, { limit: 10 });
    expect(changes.items.map((c) => [c.oldValue, c.newValue, c.changedBy])).toEqual([
      ['25%', null, 'user:d@e.f'], ['on', '25%', 'user:a@b.c'], [null, 'on', 'user:a@b.c'],
    ]);
  });

  it('ends a session once', async () => {
    const t = await repos.tenants.create({ name: 'S', slug: `s-${kind}` });
    const id = crypto.randomUUID();
    await repos.sessions.create({ id, tenantId: t.id, channel: 'phone', status: 'created', language: 'en-US', createdBy: 'test', expiresAt: new Date(Date.now() + 60_000) });
    const first = await repos.sessions.end(t.id, id, 'first');
    const second = await repos.sessions.end(t.id, id, 'second');
    expect(first?.endReason).toBe('first');
    expect(second?.endReason).toBe('first');
  });

  it('shares one secret across callers', async () => {
    const one = await repos.secrets.getOrCreate('test-secret');
    const two = await repos.secrets.getOrCreate('test-secret');
    expect(one).toBe(two);
  });
});
