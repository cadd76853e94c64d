import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../src/cli/console-build.js';
import { signedInClient, type TestClient } from '../support/client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';
import { launchChromium, screenshot, signIn, watchPage, writeWavArtifact } from './browser.js';

/**
 * The admin pages in a real browser against a real server: carriers and numbers, a flow edited with live
 * validation, saved, published and drawn, a test call to it, users and API keys, provider health; an agent
 * sees none of the admin pages. Every main page leaves a screenshot in test-artifacts/.
 */

const AGENT_EMAIL = 'agent.e2e@demo.switchboard.local';
const AGENT_PASSWORD = 'agent-password-e2e';
const NEW_NUMBER = '+15551230001';

describe('admin pages (browser)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: TestClient;
  const errors: string[] = [];
  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const shot = (name: string) => screenshot(page, `admin-${name}`);

  beforeAll(async () => {
    // Ten seconds of silence as the microphone of the test call (the page needs one to place it).
    const mic = writeWavArtifact('fake-mic-silence.wav', new Int16Array(16_000 * 10), 16_000);
    await ensureConsoleBuilt();
    server = await startTestServer({ console: true });
    admin = await signedInClient(server);
    browser = await launchChromium({ microphoneWav: mic });
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    watchPage(page, 'admin', errors);
    await signIn(page, server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('shows every page of the console to the admin', async () => {
    for (const [label, ready, name] of [
      ['Feature flags', '[data-testid="flags-table"]', 'flags'],
      ['Sessions', '[data-testid="sessions-table"], [data-testid="sessions-empty"]', 'sessions'],
      ['Calls', '[data-testid="recent-calls"], [data-testid="recent-calls-empty"]', 'calls'],
      ['Softphone', '[data-testid="softphone"]', 'softphone'],
    ] as const) {
      await nav().getByRole('link', { name: label, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
      await page.locator(ready).first().waitFor();
      await shot(name);
    }
  });

  it('adds a number answered by a flow, edits it and sees the carriers', async () => {
    await nav().getByRole('link', { name: 'Carriers & numbers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Carriers and numbers' }).waitFor();
    await page.getByTestId('carrier-twilio').waitFor();
    expect(await page.getByTestId('carrier-twilio').getAttribute('data-configured')).toBe('true');
    await page.getByTestId('number-+15005550009').waitFor();

    const add = page.getByTestId('add-number-form');
    await add.getByLabel('Number').fill(NEW_NUMBER);
    await add.getByLabel('Answered by').selectOption('flow');
    await add.getByLabel('Flow').selectOption('order-status');
    await add.getByRole('button', { name: 'Add number' }).click();
    const row = page.getByTestId(`number-${NEW_NUMBER}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Order status');

    await row.getByRole('button', { name: `Edit ${NEW_NUMBER}` }).click();
    const edit = page.getByTestId('edit-number-form');
    await edit.getByLabel('Answered by').selectOption('voicemail');
    await edit.getByLabel('Greeting').fill('Leave a message for the e2e team.');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator(`[data-testid="number-${NEW_NUMBER}"][data-agent="voicemail"]`).waitFor();

    // Carrier credentials: replaced (the secret never comes back), then removed.
    const twilio = page.getByTestId('carrier-twilio');
    const sid = `AC${'e2e0'.repeat(8)}`;
    await twilio.getByLabel('Account SID').fill(sid);
    await twilio.getByLabel('Auth token').fill('e2e-auth-token-0123456789');
    await twilio.getByRole('button', { name: 'Replace' }).click();
    await twilio.getByText(sid).waitFor();
    expect(await twilio.getAttribute('data-configured')).toBe('true');
    expect(JSON.stringify((await admin.get('/api/v1/carriers/twilio')).body)).not.toContain('e2e-auth-token');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('carrier-telnyx').getByRole('button', { name: 'Remove' }).click();
    await page.locator('[data-testid="carrier-telnyx"][data-configured="false"]').waitFor();
    const listed = await admin.get(`/api/v1/numbers?q=${encodeURIComponent('5551230001')}`);
    expect(listed.body.items).toMatchObject([{ number: NEW_NUMBER, agentKind: 'voicemail', greeting: 'Leave a message for the e2e team.' }]);
    await shot('numbers');
  });

  it('edits a flow with live validation, saves a version, publishes it and draws the graph', async () => {
    await nav().getByRole('link', { name: 'Flows' }).click();
    await page.getByTestId('flows-table').waitFor();
    await shot('flows');
    await page.getByTestId('flow-appointment-booking').getByRole('link').click();
    await page.waitForURL(`${server.url}/flows/appointment-booking`);
    await page.locator('[data-testid="flow-validation"][data-state="valid"]').waitFor();
    await page.getByTestId('flow-node-greet').waitFor();
    const steps = Object.keys(((await admin.get('/api/v1/flows/appointment-booking')).body as { latest: { definition: { steps: object } } }).latest.definition.steps);
    expect(await page.locator('[data-testid^="flow-node-"]').count()).toBe(steps.length);
    expect(await page.getByTestId('flow-edge').count()).toBeGreaterThan(10);

    const editor = page.getByTestId('flow-json');
    const original = await editor.inputValue();
    // A step pointing nowhere: an error with its JSON path, and the graph shows the missing step.
    await editor.fill(original.replace('"next": "ask_need"', '"next": "nowhere"'));
    await page.locator('[data-testid="flow-validation"][data-state="invalid"]').waitFor();
    expect(await page.getByTestId('flow-error').first().textContent()).toContain('$.steps.greet.next');
    await page.locator('[data-testid="flow-node-nowhere"][data-type="missing"]').waitFor();
    // The path takes the cursor to the line it names.
    await page.getByTestId('flow-error').first().getByRole('button', { name: '$.steps.greet.next' }).click();
    const selected = await editor.evaluate((el) => { const area = el as unknown as { value: string; selectionStart: number; selectionEnd: number }; return area.value.slice(area.selectionStart, area.selectionEnd); });
    expect(selected).toBe('"next": "nowhere"');
    // Broken JSON is caught before the server is asked.
    await editor.fill(`${original.slice(0, 40)}`);
    expect(await page.getByTestId('flow-validation').textContent()).toContain('Not JSON');
    await shot('flow-invalid');

    await editor.fill(original.replace('"name": "Appointment booking"', '"name": "Appointment booking (e2e)"'));
    await page.locator('[data-testid="flow-validation"][data-state="valid"]').waitFor();
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByTestId('flow-version-2').waitFor();
    expect(await page.getByTestId('flow-version-2').getAttribute('data-status')).toBe('draft');
    await page.getByRole('button', { name: 'Publish v2' }).click();
    await page.locator('[data-testid="flow-version-2"][data-live="true"]').waitFor();
    expect(await page.getByTestId('flow-live-version').textContent()).toBe('v2');
    const flow = await admin.get('/api/v1/flows/appointment-booking');
    expect(flow.body).toMatchObject({ name: 'Appointment booking (e2e)', publishedVersion: 2 });
    await shot('flow-editor');
  });

  it('places a test call to the flow from its page', async () => {
    await page.getByRole('button', { name: 'Test call' }).click();
    await page.locator('[data-testid="test-call"][data-status="in-call"]').waitFor({ timeout: 20_000 });
    const href = (await page.getByTestId('test-call-link').getAttribute('href')) ?? '';
    const id = href.split('/').pop() ?? '';
    const call = await admin.get(`/api/v1/calls/${id}`);
    expect(call.body).toMatchObject({ carrier: 'browser', agentKind: 'flow' });
    await page.getByTestId('test-call-link').click();
    await page.waitForURL(`${server.url}/calls/${id}`);
    await page.locator('[data-testid="transcript-segment"]').first().waitFor({ timeout: 20_000 });
    await shot('call-view');
    await page.goBack();
    await page.getByRole('button', { name: 'Hang up test call' }).click();
    await page.locator('[data-testid="test-call"][data-status="ended"]').waitFor();
  });

  it('creates a user and an API key (secret shown once), then revokes the key', async () => {
    await nav().getByRole('link', { name: 'Users & API keys' }).click();
    await page.getByTestId('users-table').waitFor();
    const userForm = page.getByTestId('new-user-form');
    await userForm.getByLabel('Name').fill('Agent E2E');
    await userForm.getByLabel('Email').fill(AGENT_EMAIL);
    await userForm.getByLabel('Role').selectOption('agent');
    await userForm.getByLabel('Password').fill(AGENT_PASSWORD);
    await userForm.getByRole('button', { name: 'Add user' }).click();
    await page.getByTestId(`user-${AGENT_EMAIL}`).waitFor();
    // The agent's queues (which calls they see), edited in place (the server's checks: test/http/calls-supervision.test.ts).
    await page.getByRole('button', { name: 'Edit the queues of Agent E2E' }).click();
    const queuesForm = page.getByTestId(`queues-form-${AGENT_EMAIL}`);
    await queuesForm.getByLabel('Queues of Agent E2E (comma-separated)').fill('general, sales');
    await queuesForm.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId(`queues-${AGENT_EMAIL}`).getByText('sales').waitFor();
    expect((await admin.get(`/api/v1/users?q=${encodeURIComponent(AGENT_EMAIL)}`)).body.items[0].queues).toEqual(['general', 'sales']);

    const keyForm = page.getByTestId('new-key-form');
    await keyForm.getByLabel('Key name').fill('e2e-key');
    await keyForm.getByLabel('Key role').selectOption('analyst');
    await keyForm.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('created-key-secret').textContent()) ?? '';
    expect(secret).toMatch(/^sb_/);
    const asKey = async () => (await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secret}` } })).status;
    expect(await asKey()).toBe(200);
    await shot('access');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke e2e-key' }).click();
    await page.locator('[data-testid="key-e2e-key"][data-revoked="true"]').waitFor();
    expect(await asKey()).toBe(401);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('created-key').waitFor({ state: 'detached' });
  });

  it('shows provider health with latency charts, kept current, and sets the routing policy', async () => {
    await nav().getByRole('link', { name: 'AI providers' }).click();
    await page.getByTestId('provider-health').waitFor();
    const health = await admin.get('/api/v1/providers/health');
    const names = (health.body.providers as { provider: string }[]).map((p) => p.provider);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      await page.getByTestId(`provider-${name}`).waitFor();
      await page.locator(`[data-testid="chart-${name}"], [data-testid="chart-${name}-empty"]`).first().waitFor();
    }
    // Polled: the "updated" time moves without a reload.
    const before = await page.getByTestId('health-updated').textContent();
    await page.waitForFunction(`document.querySelector('[data-testid="health-updated"]')?.textContent !== ${JSON.stringify(before)}`, undefined, { timeout: 10_000 });

    // The routing policy: an admin changes it and the server keeps it for the tenant.
    const routing = page.getByTestId('routing-form');
    await routing.getByLabel('Policy').selectOption('lowest_latency');
    await routing.getByRole('button', { name: 'Save routing' }).click();
    await page.locator('[data-testid="routing-form"][data-policy="lowest_latency"]').waitFor();
    expect((await admin.get('/api/v1/providers/routing')).body).toMatchObject({ policy: 'lowest_latency', source: 'tenant' });
    await shot('providers');
    expect(errors).toEqual([]);
  });

  it('keeps admin pages away from an agent', async () => {
    const agentContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const agentPage = await agentContext.newPage();
    const agentErrors: string[] = [];
    watchPage(agentPage, 'agent', agentErrors);
    try {
      await agentPage.goto(`${server.url}/login`);
      await agentPage.getByLabel('Email').waitFor();
      await screenshot(agentPage, 'admin-login');
      await signIn(agentPage, server.url, AGENT_EMAIL, AGENT_PASSWORD);
      const links = await agentPage.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
      expect(links).toEqual(expect.arrayContaining(['Calls', 'Softphone']));
      for (const hidden of ['Flows', 'Carriers & numbers', 'Users & API keys', 'AI providers']) expect(links).not.toContain(hidden);
      for (const path of ['/numbers', '/access', '/flows', '/flows/appointment-booking', '/providers']) {
        await agentPage.goto(`${server.url}${path}`);
        await agentPage.getByTestId('forbidden').waitFor();
      }
      await screenshot(agentPage, 'admin-agent-forbidden');
      const agent = await signedInClient(server, AGENT_EMAIL, AGENT_PASSWORD);
      expect((await agent.get('/api/v1/carriers')).status).toBe(403);
      expect((await agent.get('/api/v1/api-keys')).status).toBe(403);
      expect(agentErrors).toEqual([]);
    } finally {
      await agentContext.close();
    }
  });
});
