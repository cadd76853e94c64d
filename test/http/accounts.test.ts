import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, startTestServer, type TestServer } from '../support/server.js';
import { signedInClient, TestClient } from '../support/client.js';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ env: { SWITCHBOARD_LOGIN_RATE_LIMIT: '5' } }); });
afterAll(async () => { await server.close(); });

describe('login and the session cookie', () => {
  it('signs the seeded admin in with an httpOnly SameSite cookie and a CSRF token', async () => {
    const client = new TestClient(server.url);
    const res = await client.login();
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(ADMIN_EMAIL);
    expect(res.body.role).toBe('admin');
    expect(res.body.tenant.slug).toBe('demo');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('refuses a wrong password with the uniform error shape', async () => {
    const client = new TestClient(server.url);
    const res = await client.login(ADMIN_EMAIL, 'wrong-password');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'invalid_credentials', requestId: expect.any(String) });
  });

  it('refuses unsafe cookie requests without the CSRF header', async () => {
    const client = new TestClient(server.url);
    await client.login();
    const csrf = client.csrf;
    client.csrf = null;
    const res = await client.post('/api/v1/sessions', { channel: 'chat' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
    client.csrf = csrf;
    expect((await client.post('/api/v1/sessions', { channel: 'chat' })).status).toBe(201);
  });

  it('signs out', async () => {
    const client = new TestClient(server.url);
    await client.login();
    expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await client.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('rate limits login attempts per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await new TestClient(server.url).login(ADMIN_EMAIL, 'nope')).status);
    expect(statuses).toContain(429);
    const limited = await new TestClient(server.url).login(ADMIN_EMAIL, 'nope');
    expect(limited.body.error.code).toBe('rate_limited');
  });
});

describe('roles', () => {
  it('lets each route admit only its declared roles', async () => {
    const admin = await signedInClient(server);
    const created = await admin.post('/api/v1/users', { email: 'analyst@demo.test', name: 'Ana', role: 'analyst', password: 'analyst-password' });
    expect(created.status).toBe(201);
    // The rate limit above is per address; sign in through the service to stay clear of it.
    const analyst = await signedInClient(server, 'analyst@demo.test', 'analyst-password');
    expect((await analyst.get('/api/v1/flags')).status).toBe(200);
    const denied = await analyst.get('/api/v1/users');
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await analyst.post('/api/v1/sessions', { channel: 'chat' })).status).toBe(403);
  });
});

describe('API keys', () => {
  it('shows the key once, stores only its hash, and stops working when revoked', async () => {
    const admin = await signedInClient(server);
    const tenantId = (await admin.get('/api/v1/auth/me')).body.tenant.id;
    const created = await admin.post('/api/v1/api-keys', { name: 'ci', role: 'agent' });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^sb_live_/);
    const listed = await admin.get('/api/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const rows = await server.platform.repos.apiKeys.list(tenantId, { limit: 50 });
    expect(rows.items.every((r) => r.keyHash !== secret && !r.keyHash.includes(secret))).toBe(true);

    const program = new TestClient(server.url);
    program.apiKey = secret;
    expect((await program.post('/api/v1/sessions', { channel: 'phone' })).status).toBe(201);
    expect((await program.get('/api/v1/users')).status).toBe(403);

    expect((await admin.delete(`/api/v1/api-keys/${created.body.id}`)).status).toBe(200);
    expect((await program.get('/api/v1/sessions')).status).toBe(401);
  });
});
