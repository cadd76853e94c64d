/** Provider events go to every tenant without a tenants query per status change. */
import { describe, expect, it } from 'vitest';
import { TenantFanout } from '../../src/ai/router/tenant-fanout.js';

describe('TenantFanout', () => {
  it('reads the tenant list once per ttl, shared by concurrent changes', async () => {
    let now = 0;
    let reads = 0;
    let tenants = ['a', 'b'];
    const fanout = new TenantFanout({ tenantIds: async () => { reads++; return [...tenants]; }, ttlMs: 1000, now: () => now });
    const sent: string[] = [];
    await Promise.all(Array.from({ length: 20 }, () => fanout.each(async (id) => { sent.push(id); })));
    expect(reads).toBe(1);
    expect(sent).toHaveLength(40);
    tenants = ['a', 'b', 'c'];
    now = 999;
    expect(await fanout.tenants()).toEqual(['a', 'b']);
    now = 1000;
    expect(await fanout.tenants()).toEqual(['a', 'b', 'c']); // a new tenant gets events after at most the ttl
    expect(reads).toBe(2);
  });

  it('does not keep an empty list or a failed read', async () => {
    let reads = 0;
    const answers: Array<() => Promise<string[]>> = [async () => [], async () => { throw new Error('db down'); }, async () => ['a']];
    const fanout = new TenantFanout({ tenantIds: () => answers[reads++]!(), now: () => 0 });
    expect(await fanout.tenants()).toEqual([]);
    await expect(fanout.tenants()).rejects.toThrow('db down');
    expect(await fanout.tenants()).toEqual(['a']);
    expect(await fanout.tenants()).toEqual(['a']);
    expect(reads).toBe(3);
  });
});
