import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/infra/logger.js';
import { createPlatform } from '../../src/platform.js';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';
import { signedInClient, TestClient } from '../support/client.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ env: { SWITCHBOARD_BODY_LIMIT: '4096' } }); });
afterAll(async () => { await server.close(); });

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('bad input gets the one error shape, is counted, and never crashes', () => {
  it('malformed JSON → 400', async () => {
    const before = await metric('switchboard_http_errors_total', 'code="validation_failed"');
    const admin = await signedInClient(server);
    const res = await admin.request('POST', '/api/v1/sessions', '{"channel":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', requestId: expect.any(String) });
    expect(await metric('switchboard_http_errors_total', 'code="validation_failed"')).toBe(before + 1);
  });

  it('body over the limit → 413', async () => {
    const admin = await signedInClient(server);
    const res = await admin.post('/api/v1/sessions', { channel: 'chat', instructions: 'x'.repeat(10_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(await metric('switchboard_http_errors_total', 'code="payload_too_large"')).toBeGreaterThan(0);
  });

  it('unknown route → 404, wrong type → 400 with the field path', async () => {
    const res = await new TestClient(server.url).get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const admin = await signedInClient(server);
    const bad = await admin.post('/api/v1/sessions', { channel: 'chat', metadata: { nested: { deep: true } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toMatch(/^body\.metadata\.nested/);
  });

  it('wrong content type → 415 in the same shape', async () => {
    const admin = await signedInClient(server);
    const res = await admin.request('POST', '/api/v1/sessions', 'channel=chat', { 'content-type': 'text/csv' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('answers /health and /ready after all of that, with HTTP histograms in /metrics', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const ready = await (await fetch(`${server.url}/ready`)).json();
    expect(ready).toMatchObject({ ready: true, checks: [{ name: 'database', ok: true }, { name: 'migrations', ok: true }] });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('switchboard_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/sessions",status="400"}');
    expect(text).toContain('switchboard_process_cpu_user_seconds_total');
  });
});

describe('logs', () => {
  it('carry a request id on every request line and never a password, key or cookie', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const dir = mkdtempSync(join(tmpdir(), 'sb-logs-'));
    const env = { SWITCHBOARD_DATA_DIR: dir, SWITCHBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'trace' };
    const settings = loadSettings(env);
    const platform = await createPlatform(settings, { env, logger: createLogger('trace', sink), print: () => {} });
    const app = await buildServer(platform, { console: false });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@demo.switchboard.local', password: ADMIN_PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const csrf = login.json().csrfToken as string;
    const key = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { cookie, 'x-csrf-token': csrf }, payload: { name: 'k' } });
    const secret = key.json().secret as string;
    await app.inject({ method: 'GET', url: '/api/v1/sessions', headers: { authorization: `Bearer ${secret}` } });
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@demo.switchboard.local', password: 'wrong-secret-password' } });
    await app.close();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });

    const all = lines.join('');
    expect(all).not.toContain(ADMIN_PASSWORD);
    expect(all).not.toContain('wrong-secret-password');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(cookie.split('=')[1]!);
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requestLines.length).toBeGreaterThanOrEqual(4);
    expect(requestLines.every((l) => typeof l.requestId === 'string' && l.requestId.length > 0)).toBe(true);
  });
});
