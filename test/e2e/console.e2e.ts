import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../src/cli/console-build.js';
import type { EffectiveFlag } from '../../src/contracts/flags.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';
import { launchChromium, screenshot, watchPage } from './browser.js';

/**
 * The console in a real browser against a real server: sign in, switch the demo scenario and see the flags change
 * (in the page and through the API), create and end sessions, live refresh from the event socket.
 */


describe('console (browser)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const shot = (name: string) => screenshot(page, `console-${name}`);
  const flagsFromApi = async () => {
    const res = await context.request.get(`${server.url}/api/v1/flags`);
    expect(res.status()).toBe(200);
    return (await res.json()) as { scenario: string | null; flags: EffectiveFlag[] };
  };
  const tenantId = async () => {
    const res = await context.request.get(`${server.url}/api/v1/auth/me`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { tenant: { id: string } }).tenant.id;
  };

  beforeAll(async () => {
    await ensureConsoleBuilt();
    server = await startTestServer({ console: true });
    browser = await launchChromium();
    // A new context is a fresh profile: no cookies, no storage.
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    // The browser logs every 4xx answer; the 401s of signing in wrong and of `me` before sign-in are expected.
    watchPage(page, 'admin', pageErrors);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs in: a wrong password is refused, the right one lands on the page asked for', async () => {
    await page.goto(`${server.url}/flags`);
    await page.waitForURL(/\/login\?next=%2Fflags$/);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toContain('Email or password is wrong');
    await shot('login');

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(`${server.url}/flags`);
    await page.getByRole('heading', { level: 1, name: 'Feature flags' }).waitFor();
    expect(await page.getByTestId('user-panel').textContent()).toContain(ADMIN_EMAIL);
    await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
  });

  it('switches the scenario and the flags change, in the page and through the API', async () => {
    expect(await page.getByTestId('environment').textContent()).toBe('development');
    const webChat = page.getByTestId('flag-web-chat');
    // web-chat is experimental: on by default in development, until the scenario names it.
    expect(await webChat.getAttribute('data-enabled')).toBe('true');
    expect(await webChat.getAttribute('data-source')).toBe('default');
    const before = (await flagsFromApi()).flags.find((f) => f.name === 'web-chat');
    expect(before).toMatchObject({ enabled: true, source: 'default' });

    await page.getByRole('button', { name: 'Activate scenario Browser channel' }).click();
    await page.locator('[data-testid="scenario-browser-channel"][aria-current="true"]').waitFor();
    await page.locator('[data-testid="flag-web-chat"][data-enabled="true"][data-source="scenario"]').waitFor();
    expect(await webChat.getByTestId('flag-state').textContent()).toBe('On');
    expect(await page.getByTestId('active-scenario').textContent()).toBe('Browser channel');

    const after = await flagsFromApi();
    expect(after.scenario).toBe('browser-channel');
    expect(after.flags.find((f) => f.name === 'web-chat')).toMatchObject({ enabled: true, value: 'on', source: 'scenario' });
    expect(after.flags.find((f) => f.name === 'browser-voice')).toMatchObject({ enabled: true, source: 'scenario' });
    expect(await server.platform.flags.isEnabled(await tenantId(), 'web-chat')).toBe(true);
    await shot('flags');
    await page.setViewportSize({ width: 1024, height: 768 });
    await shot('flags-1024');
    await page.setViewportSize({ width: 1366, height: 900 });

    // A tenant override beats the scenario; clearing it gives the scenario back.
    await page.getByLabel('Override for web-chat').selectOption('off');
    await page.getByTestId('override-web-chat').getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="flag-web-chat"][data-enabled="false"][data-source="tenant"]').waitFor();
    expect((await flagsFromApi()).flags.find((f) => f.name === 'web-chat')).toMatchObject({ enabled: false, source: 'tenant', tenantOverride: 'off' });
    await page.getByLabel('Override for web-chat').selectOption('inherit');
    await page.getByTestId('override-web-chat').getByRole('button', { name: 'Clear' }).click();
    await page.locator('[data-testid="flag-web-chat"][data-enabled="true"][data-source="scenario"]').waitFor();
  });

  it('creates a session, lists it, shows live ones and ends one', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await page.waitForURL(`${server.url}/sessions`);
    await page.getByTestId('sessions-empty').waitFor();

    const form = page.getByTestId('new-session-form');
    await form.getByLabel('Channel').selectOption('chat');
    await form.getByLabel('Flow').fill('e2e-triage');
    await form.getByRole('button', { name: 'Create session' }).click();
    await page.getByTestId('created-session').waitFor();
    const id = (await page.getByTestId('created-session-id').textContent()) ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.getByTestId('created-socket-url').textContent()).toMatch(new RegExp(`^wss?://.+/api/v1/sessions/${id}/socket$`));
    await page.getByTestId(`session-${id}`).waitFor();
    expect(await page.getByTestId(`session-${id}`).textContent()).toContain('e2e-triage');

    // Created elsewhere (not by this page): the session.created event refreshes the list.
    const other = await server.platform.sessions.create(await tenantId(), { channel: 'phone', language: 'en-US', metadata: {} }, 'e2e');
    await page.getByTestId(`session-${other.id}`).waitFor();
    await shot('sessions');

    await page.getByTestId(`session-${id}`).getByRole('button', { name: /^End session/ }).click();
    await page.locator(`[data-testid="session-${id}"][data-status="ended"]`).waitFor();
    const ended = await context.request.get(`${server.url}/api/v1/sessions/${id}`);
    expect(((await ended.json()) as { status: string }).status).toBe('ended');

    await page.getByRole('group', { name: 'Filter sessions' }).getByLabel('Status').selectOption('ended');
    await page.locator(`[data-testid="session-${other.id}"]`).waitFor({ state: 'detached' });
    await page.getByTestId(`session-${id}`).waitFor();
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    expect((await context.request.get(`${server.url}/api/v1/auth/me`)).status()).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
