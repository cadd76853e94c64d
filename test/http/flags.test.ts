import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { signedInClient, type TestClient } from '../support/client.js';

type Flag = { name: string; enabled: boolean; source: string; value: string; stage: string; tenantOverride: string | null };
const find = (flags: Flag[], name: string) => flags.find((f) => f.name === name)!;

describe('feature flags through the API', () => {
  let server: TestServer;
  let admin: TestClient;
  beforeAll(async () => {
    server = await startTestServer({ env: { SWITCHBOARD_FLAG_CAMPAIGNS: 'on', SWITCHBOARD_SCENARIO: 'basic' } });
    admin = await signedInClient(server);
  });
  afterAll(async () => { await server.close(); });

  it('reports every flag with its effective value and where it came from', async () => {
    const res = await admin.get('/api/v1/flags');
    expect(res.status).toBe(200);
    expect(res.body.environment).toBe('development');
    expect(res.body.scenario).toBe('basic');
    const flags: Flag[] = res.body.flags;
    expect(find(flags, 'session-bootstrap')).toMatchObject({ enabled: true, source: 'default' });
    expect(find(flags, 'console-live-events')).toMatchObject({ enabled: true, source: 'default', stage: 'rehearsal' });
    expect(find(flags, 'campaigns')).toMatchObject({ enabled: true, source: 'environment' });
    expect(find(flags, 'inbound-calls')).toMatchObject({ enabled: true, source: 'scenario' });
    expect(find(flags, 'sentiment').enabled).toBe(false);
  });

  it('lets a tenant override win, records who changed it, and clears it', async () => {
    const set = await admin.put('/api/v1/flags/campaigns', { value: 'off' });
    expect(set.body).toMatchObject({ enabled: false, source: 'tenant', tenantOverride: 'off' });
    const cleared = await admin.delete('/api/v1/flags/campaigns');
    expect(cleared.body).toMatchObject({ enabled: true, source: 'environment', tenantOverride: null });
    const changes = await admin.get('/api/v1/flags/changes?limit=2');
    expect(changes.body.items[0]).toMatchObject({ subject: 'flag:campaigns', oldValue: 'off', newValue: null, changedBy: 'user:admin@demo.switchboard.local' });
    expect(changes.body.nextCursor).toEqual(expect.any(String));
    const next = await admin.get(`/api/v1/flags/changes?limit=2&cursor=${changes.body.nextCursor}`);
    expect(changes.body.items[1]).toMatchObject({ subject: 'flag:campaigns', oldValue: null, newValue: 'off' });
    expect(next.body.items).toEqual([expect.objectContaining({ subject: 'scenario', newValue: 'basic', changedBy: 'environment:SWITCHBOARD_SCENARIO' })]);
    expect(next.body.nextCursor).toBeNull();
  });

  it('rolls out a percentage by a stable key', async () => {
    const res = await admin.put('/api/v1/flags/sentiment', { value: '50%' });
    expect(res.body.source).toBe('rollout');
    const answers = new Set<boolean>();
    for (let i = 0; i < 5; i++) answers.add(find((await admin.get('/api/v1/flags')).body.flags, 'sentiment').enabled);
    expect(answers.size).toBe(1);
  });

  it('switches the scenario at once and records it', async () => {
    const res = await admin.put('/api/v1/scenario', { scenario: 'browser-channel' });
    expect(res.body.active).toBe('browser-channel');
    expect(res.body.scenarios).toHaveLength(5);
    const flags: Flag[] = (await admin.get('/api/v1/flags')).body.flags;
    expect(find(flags, 'web-chat')).toMatchObject({ enabled: true, source: 'scenario' });
    expect(find(flags, 'inbound-calls')).toMatchObject({ enabled: true, source: 'default', stage: 'stable' });
    expect(find(flags, 'consent').enabled).toBe(false);
    const changes = await admin.get('/api/v1/flags/changes');
    expect(changes.body.items[0]).toMatchObject({ subject: 'scenario', oldValue: 'basic', newValue: 'browser-channel' });
  });

  it('refuses unknown flags and bad values', async () => {
    expect((await admin.put('/api/v1/flags/no-such-flag', { value: 'on' })).status).toBe(404);
    const bad = await admin.put('/api/v1/flags/sentiment', { value: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toContain('value');
    expect((await admin.put('/api/v1/scenario', { scenario: 'nope' })).status).toBe(400);
  });
});

describe('per-environment defaults', () => {
  it('production turns on only stable flags; staging adds rehearsals', async () => {
    for (const [env, rehearsal] of [['production', false], ['staging', true]] as const) {
      const server = await startTestServer({ env: { SWITCHBOARD_ENV: env } });
      const admin = await signedInClient(server);
      const flags: Flag[] = (await admin.get('/api/v1/flags')).body.flags;
      expect(find(flags, 'session-bootstrap').enabled).toBe(true);
      expect(find(flags, 'console-live-events').enabled).toBe(rehearsal);
      expect(flags.filter((f) => f.stage === 'unbuilt').every((f) => !f.enabled)).toBe(true);
      await server.close();
    }
  });

  it('refuses to start on a misspelt flag variable', async () => {
    await expect(startTestServer({ env: { SWITCHBOARD_FLAG_NOPE: 'on' } })).rejects.toThrow(/SWITCHBOARD_FLAG_NOPE: no flag named nope/);
    await expect(startTestServer({ env: { SWITCHBOARD_FLAG_SENTIMENT: 'sometimes' } })).rejects.toThrow(/SWITCHBOARD_FLAG_SENTIMENT/);
  });
});
