import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { errorSchema } from '../../src/contracts/common.js';
import { operations, socketEndpoints, type OperationName } from '../../src/contracts/operations.js';
import { openApiPath } from '../../src/http/route.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signedInClient, TestClient, type ApiResponse } from '../support/client.js';

/**
 * Walks every operation of /openapi.json and checks a real response of each against its contract schema.
 * An operation without a check here fails the test: adding a route means adding its check.
 */
type Check = (ctx: { admin: TestClient; anon: TestClient; ids: Record<string, string> }) => Promise<ApiResponse>;

const checks: Record<OperationName, Check> = {
  health: ({ anon }) => anon.get('/health'),
  ready: ({ anon }) => anon.get('/ready'),
  login: ({ anon }) => anon.login(),
  logout: async ({ anon }) => { await anon.login(); return anon.post('/api/v1/auth/logout'); },
  me: ({ admin }) => admin.get('/api/v1/auth/me'),
  listUsers: ({ admin }) => admin.get('/api/v1/users?limit=5'),
  createUser: ({ admin }) => admin.post('/api/v1/users', { email: 'sup@demo.test', name: 'Sup', role: 'supervisor', password: 'supervisor-pw' }),
  getUser: async ({ admin }) => admin.get(`/api/v1/users/${(await admin.get('/api/v1/auth/me')).body.user.id}`),
  listApiKeys: ({ admin }) => admin.get('/api/v1/api-keys'),
  createApiKey: async ({ admin, ids }) => { const r = await admin.post('/api/v1/api-keys', { name: 'contract' }); ids['key'] = r.body.id; return r; },
  revokeApiKey: ({ admin, ids }) => admin.delete(`/api/v1/api-keys/${ids['key']}`),
  listFlags: ({ admin }) => admin.get('/api/v1/flags'),
  setFlag: ({ admin }) => admin.put('/api/v1/flags/sentiment', { value: '30%' }),
  clearFlag: ({ admin }) => admin.delete('/api/v1/flags/sentiment'),
  listFlagChanges: ({ admin }) => admin.get('/api/v1/flags/changes'),
  listScenarios: ({ admin }) => admin.get('/api/v1/scenarios'),
  setScenario: ({ admin }) => admin.put('/api/v1/scenario', { scenario: 'ai-first' }),
  createSession: async ({ admin, ids }) => { const r = await admin.post('/api/v1/sessions', { channel: 'phone', phoneNumber: '+14155550100' }); ids['session'] = r.body.id; return r; },
  listSessions: ({ admin }) => admin.get('/api/v1/sessions'),
  getSession: ({ admin, ids }) => admin.get(`/api/v1/sessions/${ids['session']}`),
  endSession: ({ admin, ids }) => admin.post(`/api/v1/sessions/${ids['session']}/end`, {}),
};

let server: TestServer;
let doc: { paths: Record<string, Record<string, unknown>> };
beforeAll(async () => {
  server = await startTestServer();
  doc = await (await fetch(`${server.url}/openapi.json`)).json() as typeof doc;
});
afterAll(async () => { await server.close(); });

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every /api route of the server', async () => {
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
    const registered = server.app.routeTable.filter((r) => r.url.startsWith('/api/')).map((r) => `${r.method.toLowerCase()} ${openApiPath(r.url)}`);
    expect(registered.length).toBeGreaterThanOrEqual(Object.keys(operations).length - 2);
    for (const key of registered) {
      const [method, path] = key.split(' ') as [string, string];
      expect(doc.paths[path]?.[method], key).toBeDefined();
    }
    for (const socket of Object.values(socketEndpoints)) expect(doc.paths[openApiPath(socket.path)]?.['get']).toBeDefined();
  });

  it('has a checked real response for every operation', async () => {
    const byKey = new Map(Object.entries(operations).map(([name, op]) => [`${op.method.toLowerCase()} ${openApiPath(op.path)}`, name as OperationName]));
    const ctx = { admin: await signedInClient(server), anon: new TestClient(server.url), ids: {} as Record<string, string> };
    const unchecked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        if (Object.values(socketEndpoints).some((s) => openApiPath(s.path) === path)) continue; // checked in sessions.test.ts
        const name = byKey.get(`${method} ${path}`);
        const check = name ? checks[name] : undefined;
        if (!name || !check) { unchecked.push(`${method.toUpperCase()} ${path}`); continue; }
        const response = await check(ctx);
        const schema = (operations[name].responses as Record<number, z.ZodType>)[response.status];
        expect(schema, `${name} answered ${response.status}: ${JSON.stringify(response.body)}`).toBeDefined();
        const parsed = schema!.safeParse(response.body);
        expect(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
    expect(unchecked).toEqual([]);
  });

  it('answers errors in the one shape', async () => {
    const anon = new TestClient(server.url);
    for (const res of [await anon.get('/api/v1/users'), await anon.get('/api/v1/nope'), await anon.post('/api/v1/auth/login', { email: 1 })]) {
      expect(errorSchema.safeParse(res.body).success, JSON.stringify(res.body)).toBe(true);
    }
  });
});
