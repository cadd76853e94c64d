import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signedInClient, type TestClient } from '../support/client.js';

/** A user of one tenant never sees another tenant's data: 404 (not 403), and nothing through lists or search. */
let server: TestServer;
let demo: TestClient;
let other: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  const tenant = await server.platform.repos.tenants.create({ name: 'Other', slug: 'other' });
  await server.platform.accounts.createUser(tenant.id, { email: 'boss@other.test', name: 'Boss', role: 'admin', password: 'other-password' });
  demo = await signedInClient(server);
  other = await signedInClient(server, 'boss@other.test', 'other-password');
});
afterAll(async () => { await server.close(); });

describe('tenant isolation', () => {
  it('answers 404 for another tenant\'s session, and cannot end it', async () => {
    const created = await demo.post('/api/v1/sessions', { channel: 'phone', phoneNumber: '+14155550100', campaign: 'secret-campaign' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const read = await other.get(`/api/v1/sessions/${id}`);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('not_found');
    expect((await other.post(`/api/v1/sessions/${id}/end`, {})).status).toBe(404);
    expect((await demo.get(`/api/v1/sessions/${id}`)).body.status).toBe('created');
  });

  it('leaks nothing through lists or search', async () => {
    const list = await other.get('/api/v1/sessions?limit=200');
    expect(list.body.items).toEqual([]);
    const search = await other.get('/api/v1/sessions?q=secret');
    expect(search.body.items).toEqual([]);
    const users = await other.get('/api/v1/users?q=admin');
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual([]);
    const ownUsers = await other.get('/api/v1/users');
    expect(ownUsers.body.items.map((u: { email: string }) => u.email)).toEqual(['boss@other.test']);
  });

  it('answers 404 for another tenant\'s user and API key', async () => {
    const me = await demo.get('/api/v1/auth/me');
    expect((await other.get(`/api/v1/users/${me.body.user.id}`)).status).toBe(404);
    const key = await demo.post('/api/v1/api-keys', { name: 'demo-key', role: 'agent' });
    expect((await other.delete(`/api/v1/api-keys/${key.body.id}`)).status).toBe(404);
    const keys = await other.get('/api/v1/api-keys');
    expect(keys.body.items).toEqual([]);
  });

  it('keeps flag overrides and scenarios per tenant', async () => {
    await demo.put('/api/v1/scenario', { scenario: 'compliance' });
    await demo.put('/api/v1/flags/sentiment', { value: 'on' });
    const mine = await demo.get('/api/v1/flags');
    const theirs = await other.get('/api/v1/flags');
    const flag = (body: { flags: { name: string; enabled: boolean; source: string }[] }, name: string) => body.flags.find((f) => f.name === name)!;
    expect(mine.body.scenario).toBe('compliance');
    expect(flag(mine.body, 'audit-log')).toMatchObject({ enabled: true, source: 'scenario' });
    expect(flag(mine.body, 'sentiment')).toMatchObject({ enabled: true, source: 'tenant' });
    expect(theirs.body.scenario).toBeNull();
    expect(flag(theirs.body, 'audit-log')).toMatchObject({ enabled: false, source: 'default' });
    expect(flag(theirs.body, 'sentiment')).toMatchObject({ enabled: false });
    expect((await other.get('/api/v1/flags/changes')).body.items).toEqual([]);
  });
});
