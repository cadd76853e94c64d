import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, openDatabase, type Database, type Repositories } from '../../src/store/index.js';
import { DuplicateNumberError } from '../../src/store/repositories/phone-numbers.js';
import { createTestDatabase } from '../support/services.js';

/** Carrier accounts, numbers, calls and their timeline on embedded PGlite and the machine's PostgreSQL. */
describe.each(['pglite', 'postgres'] as const)('call repositories on %s', (kind) => {
  let database: Database;
  let repos: Repositories;
  let cleanup: () => Promise<void>;
  let tenantId: string;

  beforeAll(async () => {
    if (kind === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'sb-store-calls-'));
      database = await openDatabase({ dataDir: dir });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const db = await createTestDatabase();
      database = await openDatabase({ dataDir: '', url: db.url });
      cleanup = db.drop;
    }
    await database.migrate();
    repos = createRepositories(database.db);
    tenantId = (await repos.tenants.create({ name: 'C', slug: `c-${kind}` })).id;
  });

  afterAll(async () => {
    await database.close();
    await cleanup();
  });

  it('keeps one account per tenant and carrier: put replaces, putIfMissing does not', async () => {
    await repos.carrierAccounts.put({ tenantId, carrier: 'twilio', publicId: 'AC1', credentials: 'sealed-1', demo: true });
    const replaced = await repos.carrierAccounts.put({ tenantId, carrier: 'twilio', publicId: 'AC2', credentials: 'sealed-2', demo: false });
    expect(replaced).toMatchObject({ publicId: 'AC2', credentials: 'sealed-2', demo: false });
    const raced = await Promise.all([1, 2, 3].map((i) => repos.carrierAccounts.putIfMissing({ tenantId, carrier: 'telnyx', publicId: `c${i}`, credentials: 's', demo: true })));
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect((await repos.carrierAccounts.list(tenantId)).map((a) => a.carrier)).toEqual(['telnyx', 'twilio']);
    expect(await repos.carrierAccounts.delete(tenantId, 'telnyx')).toBe(true);
    expect(await repos.carrierAccounts.get(tenantId, 'telnyx')).toBeNull();
  });

  it('holds each E.164 number once across tenants and finds its tenant by it', async () => {
    const other = (await repos.tenants.create({ name: 'D', slug: `d-${kind}` })).id;
    const n = await repos.phoneNumbers.create({ tenantId, number: `+1555${kind === 'pglite' ? 1 : 2}000001`, carrier: 'twilio', agentKind: 'echo' });
    await expect(repos.phoneNumbers.create({ tenantId: other, number: n.number, carrier: 'telnyx', agentKind: 'echo' })).rejects.toBeInstanceOf(DuplicateNumberError);
    expect(await repos.phoneNumbers.createIfMissing({ tenantId: other, number: n.number, carrier: 'telnyx', agentKind: 'echo' })).toBe(false);
    expect((await repos.phoneNumbers.byNumber(n.number))?.tenantId).toBe(tenantId);
    expect(await repos.phoneNumbers.byId(other, n.id)).toBeNull();
    expect(await repos.phoneNumbers.update(other, n.id, { agentKind: 'voicemail' })).toBeNull();
    expect((await repos.phoneNumbers.update(tenantId, n.id, { agentKind: 'voicemail', options: { maxMs: 1 } }))?.options).toEqual({ maxMs: 1 });
  });

  it('stores a call once per carrier id, moves its state only from the expected states, and keeps its timeline in order', async () => {
    const row = { tenantId, direction: 'inbound', carrier: 'telnyx', carrierCallId: 'v3:abc', fromNumber: '+1', toNumber: '+2', agentKind: 'echo', state: 'ringing' };
    const first = await repos.calls.createOrGet({ ...row, id: crypto.randomUUID() });
    const second = await repos.calls.createOrGet({ ...row, id: crypto.randomUUID() });
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.call.id).toBe(first.call.id);
    // The same carrier id at another carrier is another call.
    expect((await repos.calls.createOrGet({ ...row, carrier: 'twilio', id: crypto.randomUUID() })).created).toBe(true);
    const id = first.call.id;
    expect(await repos.calls.transition(id, ['in-progress'], 'completed')).toBeNull();
    expect((await repos.calls.transition(id, ['ringing'], 'in-progress', { answeredAt: new Date() }))?.state).toBe('in-progress');
    await repos.calls.mergeMetadata(id, { a: 1 });
    await repos.calls.mergeMetadata(id, { b: 'two' });
    expect((await repos.calls.byId(tenantId, id))?.metadata).toEqual({ a: 1, b: 'two' });
    for (const type of ['one', 'two', 'three']) await repos.callTimeline.append({ callId: id, tenantId, type, at: new Date(0) });
    expect((await repos.callTimeline.events(tenantId, id)).map((e) => e.type)).toEqual(['one', 'two', 'three']);
    await repos.callTimeline.addSegment({ callId: id, tenantId, speaker: 'agent', text: 'later', startMs: 900.4, endMs: 1200 });
    await repos.callTimeline.addSegment({ callId: id, tenantId, speaker: 'caller', text: 'first', startMs: 100, endMs: 800 });
    expect((await repos.callTimeline.segments(tenantId, id)).map((s) => [s.text, s.startMs])).toEqual([['first', 100], ['later', 900]]);
    expect(await repos.callTimeline.events(crypto.randomUUID(), id)).toEqual([]);
    expect(await repos.calls.bindCarrierId(id, 'v3:other')).toBeNull();
  });
});
