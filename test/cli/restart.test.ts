import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { freePort } from '../support/server.js';
import { startProcess } from '../support/process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sb-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('switchboard start on the embedded defaults', () => {
  it('prints a generated admin password once, keeps data across a restart, and drains on SIGTERM', async () => {
    const port = await freePort();
    const env = { SWITCHBOARD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' };

    const first = await startProcess(env);
    const match = /admin created: (\S+) \/ (\S+)/.exec(first.output());
    expect(match, first.output()).not.toBeNull();
    const [, email, password] = match as unknown as [string, string, string];
    const client = new TestClient(`http://127.0.0.1:${port}`);
    expect((await client.login(email, password)).status).toBe(200);
    const created = await client.post('/api/v1/sessions', { channel: 'chat', campaign: 'survives-restart' });
    expect(created.status).toBe(201);
    expect(first.output()).not.toContain(created.body.token);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    const second = await startProcess(env);
    expect(second.output()).not.toMatch(/admin created/);
    const again = new TestClient(`http://127.0.0.1:${port}`);
    expect((await again.login(email, password)).status).toBe(200);
    const read = await again.get(`/api/v1/sessions/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.campaign).toBe('survives-restart');
    expect(await second.stop()).toBe(0);
  });

  it('refuses to start with a message naming the bad variable', async () => {
    await expect(startProcess({ SWITCHBOARD_DATA_DIR: dataDir, PORT: 'not-a-port' }, 20_000)).rejects.toThrow(/PORT="not-a-port"/);
  });
});
