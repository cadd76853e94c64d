import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowRunner } from '../../src/ai/flows/runner.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTestDatabase } from '../support/services.js';

/** The flows API: seeded examples, drafts and versions, validation with paths, publishing, roles, tenant isolation. */
let server: TestServer;
let admin: TestClient;
let supervisor: TestClient;
let agent: TestClient;
let other: TestClient;

const en = (text: string) => ({ 'en-US': text });
function survey(id: string, goodbye = 'Goodbye.') {
  return {
    id, name: `Survey ${id}`, languages: ['en-US'], start: 'ask',
    slots: { score: { type: 'number', min: 1, max: 5 } },
    steps: {
      ask: { type: 'ask', prompt: en('From one to five, how did we do?'), slot: 'score', next: 'bye', onNoMatch: 'bye' },
      bye: { type: 'end', text: en(goodbye) },
    },
  };
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await signedInClient(server);
  const { accounts, repos } = server.platform;
  const demo = (await repos.tenants.bySlug('demo'))!;
  await accounts.createUser(demo.id, { email: 'sup@demo.test', name: 'Sup', role: 'supervisor', password: 'supervisor-password' });
  await accounts.createUser(demo.id, { email: 'agent@demo.test', name: 'Agent', role: 'agent', password: 'agent-password' });
  const tenant = await repos.tenants.create({ name: 'Other', slug: 'other' });
  await accounts.createUser(tenant.id, { email: 'boss@other.test', name: 'Boss', role: 'admin', password: 'other-password' });
  supervisor = await signedInClient(server, 'sup@demo.test', 'supervisor-password');
  agent = await signedInClient(server, 'agent@demo.test', 'agent-password');
  other = await signedInClient(server, 'boss@other.test', 'other-password');
});
afterAll(async () => { await server.close(); });

describe('the example flows', () => {
  it('are seeded for the demo tenant, published', async () => {
    const list = await agent.get('/api/v1/flows');
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: { key: string }) => f.key).sort()).toEqual(['appointment-booking', 'billing-support', 'order-status']);
    for (const flow of list.body.items) expect(flow).toMatchObject({ latestVersion: 1, publishedVersion: 1, createdBy: 'system:seed' });
    const booking = await agent.get('/api/v1/flows/appointment-booking');
    expect(booking.body.published).toMatchObject({ version: 1, status: 'published', live: true, validation: { valid: true, errors: [], warnings: [] } });
    expect(booking.body.published.definition.steps.greet).toMatchObject({ type: 'say', interruptible: false });
    expect((await agent.get(`/api/v1/flows/${booking.body.id}`)).body.key).toBe('appointment-booking');
  });

  it('are not seeded twice, and a restart keeps them', async () => {
    const { seedExampleFlows } = await import('../../src/ai/flows/seed.js');
    const demo = (await server.platform.repos.tenants.bySlug('demo'))!;
    expect(await seedExampleFlows(server.platform.repos, demo.id, server.platform.log)).toEqual([]);
  });

  it('run from the published definition the platform hands the call layer', async () => {
    const demo = (await server.platform.repos.tenants.bySlug('demo'))!;
    const flow = await server.platform.flows.published(demo.id, 'appointment-booking');
    const runner = new FlowRunner(flow!, { now: () => Date.UTC(2025, 0, 15, 14) });
    let turn = runner.start();
    for (const text of ['I would like to book an appointment', 'tomorrow at ten', 'yes']) turn = runner.advance(turn.state, { type: 'text', text });
    expect(turn.state.ended).toEqual({ reason: 'booked' });
    expect(await server.platform.flows.published(demo.id, 'no-such-flow')).toBeNull();
  });
});

describe('creating, versioning and publishing', () => {
  it('creates a draft, refuses a duplicate key', async () => {
    const created = await supervisor.post('/api/v1/flows', { definition: survey('survey') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'survey', name: 'Survey survey', latestVersion: 1, publishedVersion: null, createdBy: 'user:sup@demo.test', published: null });
    expect(created.body.latest).toMatchObject({ version: 1, status: 'draft', live: false, validation: { valid: true } });
    expect(created.body.latest.definition.settings).toEqual({ intentThreshold: 0.6, minConfidence: 0.2, noInputTimeoutMs: 8000 });
    const again = await admin.post('/api/v1/flows', { definition: survey('survey') });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('answers schema errors with JSON paths and saves nothing', async () => {
    const res = await admin.post('/api/v1/flows', { definition: { ...survey('broken'), steps: { ask: { type: 'ask', prompt: en('?') } } } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: expect.arrayContaining([
      expect.objectContaining({ path: '$.steps.ask.next' }), expect.objectContaining({ path: '$.steps.ask.onNoMatch' }),
    ]) });
    expect((await admin.get('/api/v1/flows/broken')).status).toBe(404);
  });

  it('validates without saving', async () => {
    const res = await agent.post('/api/v1/flows/validate', { definition: { ...survey('check'), start: 'nowhere', steps: { ...survey('check').steps, spare: { type: 'end' } } } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: false,
      errors: [{ path: '$.start', code: 'unknown_step', message: 'no step named nowhere' }],
      warnings: expect.arrayContaining([expect.objectContaining({ path: '$.steps.ask', code: 'unreachable_step' })]),
    });
    expect((await agent.post('/api/v1/flows/validate', { definition: 'not a flow' })).body).toMatchObject({ valid: false, errors: [{ path: '$' }] });
    expect((await agent.post('/api/v1/flows/validate', { definition: survey('ok') })).body).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('adds versions, publishes one, rolls back to another', async () => {
    await admin.post('/api/v1/flows', { definition: survey('feedback') });
    const v2 = await supervisor.post('/api/v1/flows/feedback/versions', { definition: survey('feedback', 'Thanks, goodbye.') });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, status: 'draft', live: false });
    const published = await supervisor.post('/api/v1/flows/feedback/versions/2/publish');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version: 2, status: 'published', live: true });
    let flow = (await agent.get('/api/v1/flows/feedback')).body;
    expect(flow).toMatchObject({ latestVersion: 2, publishedVersion: 2, latest: { version: 2 }, published: { version: 2 } });

    await admin.post('/api/v1/flows/feedback/versions/1/publish');
    flow = (await agent.get('/api/v1/flows/feedback')).body;
    expect(flow).toMatchObject({ publishedVersion: 1, latest: { version: 2, live: false }, published: { version: 1, live: true } });

    const versions = await agent.get('/api/v1/flows/feedback/versions?limit=1');
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 2, status: 'published', live: false })]);
    const next = await agent.get(`/api/v1/flows/feedback/versions?limit=1&cursor=${versions.body.nextCursor}`);
    expect(next.body).toMatchObject({ items: [{ version: 1, live: true }], nextCursor: null });
    expect((await agent.get('/api/v1/flows/feedback/versions/2')).body.definition.steps.bye.text).toEqual(en('Thanks, goodbye.'));
    expect((await agent.get('/api/v1/flows/feedback/versions/9')).status).toBe(404);
  });

  it('keeps drafts with flow errors but refuses to publish them', async () => {
    await admin.post('/api/v1/flows', { definition: survey('wip') });
    const draft = await admin.post('/api/v1/flows/wip/versions', { definition: { ...survey('wip'), steps: { ...survey('wip').steps, ask: { ...survey('wip').steps.ask, next: 'later' } } } });
    expect(draft.status).toBe(201);
    expect(draft.body.validation).toMatchObject({ valid: false, errors: [{ path: '$.steps.ask.next', code: 'unknown_step' }] });
    const refused = await admin.post('/api/v1/flows/wip/versions/2/publish');
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([{ path: '$.steps.ask.next', code: 'unknown_step', message: 'no step named later' }]);
    const invalidNew = await admin.post('/api/v1/flows', { definition: { ...survey('wip2'), start: 'x' }, publish: true });
    expect(invalidNew.status).toBe(400);
  });

  it('refuses a version whose id is another flow\'s key', async () => {
    await admin.post('/api/v1/flows', { definition: survey('mine') });
    const res = await admin.post('/api/v1/flows/mine/versions', { definition: survey('theirs') });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: '$.id', code: 'key_mismatch', message: 'must be mine, the flow\'s key' }]);
  });

  it('numbers concurrent versions one by one', async () => {
    await admin.post('/api/v1/flows', { definition: survey('busy') });
    const results = await Promise.all(Array.from({ length: 5 }, () => admin.post('/api/v1/flows/busy/versions', { definition: survey('busy') })));
    expect(results.map((r) => r.body.version).sort()).toEqual([2, 3, 4, 5, 6]);
  });
});

describe('roles and tenants', () => {
  it('lets agents read and validate, not write', async () => {
    expect((await agent.post('/api/v1/flows', { definition: survey('agent-made') })).status).toBe(403);
    expect((await agent.post('/api/v1/flows/appointment-booking/versions', { definition: survey('appointment-booking') })).status).toBe(403);
    expect((await agent.post('/api/v1/flows/appointment-booking/versions/1/publish')).status).toBe(403);
    expect((await agent.get('/api/v1/flows/appointment-booking/versions')).status).toBe(200);
  });

  it('hides one tenant\'s flows from another: 404, and empty lists', async () => {
    const demoFlow = (await admin.get('/api/v1/flows/order-status')).body;
    expect((await other.get(`/api/v1/flows/${demoFlow.id}`)).status).toBe(404);
    expect((await other.get('/api/v1/flows/order-status')).status).toBe(404);
    expect((await other.get('/api/v1/flows/order-status/versions')).status).toBe(404);
    expect((await other.post('/api/v1/flows/order-status/versions/1/publish')).status).toBe(404);
    expect((await other.post('/api/v1/flows/order-status/versions', { definition: survey('order-status') })).status).toBe(404);
    expect((await other.get('/api/v1/flows')).body).toEqual({ items: [], nextCursor: null });
    // The same key is free in another tenant.
    expect((await other.post('/api/v1/flows', { definition: survey('order-status') })).status).toBe(201);
    expect((await admin.get('/api/v1/flows/order-status')).body.name).toBe('Order status');
  });
});

describe('on PostgreSQL', () => {
  it('numbers concurrent versions one by one and seeds once', async () => {
    const database = await createTestDatabase();
    const pgServer = await startTestServer({ env: { DATABASE_URL: database.url } });
    try {
      const client = await signedInClient(pgServer);
      expect((await client.get('/api/v1/flows')).body.items).toHaveLength(3);
      await client.post('/api/v1/flows', { definition: survey('busy') });
      const results = await Promise.all(Array.from({ length: 8 }, () => client.post('/api/v1/flows/busy/versions', { definition: survey('busy') })));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await pgServer.close();
      await database.drop();
    }
  });
});
