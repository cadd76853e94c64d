import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWidgetBuilt } from '../../src/cli/widget-build.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signedInClient } from '../support/client.js';
import { launchChromium, screenshot, WAIT, watchPage } from './browser.js';

/**
 * The embeddable widget on its demo page in a real browser: chat with the booking flow, reload and see the
 * conversation resume, go offline, type, come back online and see the message sent exactly once.
 */
describe('web widget (browser)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const widget = () => page.locator('[data-switchboard-widget]');
  const log = () => page.getByRole('log', { name: 'Conversation' });
  const say = async (text: string) => {
    await page.getByLabel('Your message').fill(text);
    await page.getByLabel('Your message').press('Enter');
  };

  beforeAll(async () => {
    await ensureWidgetBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    watchPage(page, 'visitor', pageErrors);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('chats with the flow, resumes after a reload, and sends an offline message once', async () => {
    await page.goto(`${server.url}/widget/demo`);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    await page.locator('[data-switchboard-widget][data-state="online"]').waitFor({ timeout: WAIT });
    await log().getByText('How can I help you today?').waitFor({ timeout: WAIT });
    await say('I would like to book an appointment');
    await log().getByText('What day and time would suit you?').waitFor({ timeout: WAIT });
    await screenshot(page, 'widget-chat');

    await page.reload();
    await page.getByRole('button', { name: 'Chat with us' }).click();
    // The conversation is there at once (from the page's store) and the socket resumes the same contact.
    await log().getByText('I would like to book an appointment', { exact: true }).waitFor({ timeout: WAIT });
    await page.locator('[data-switchboard-widget][data-state="online"]').waitFor({ timeout: WAIT });
    await say('tomorrow at ten');
    await log().getByText('Shall I book it?').waitFor({ timeout: WAIT });
    await screenshot(page, 'widget-resumed');

    await context.setOffline(true);
    await page.locator('[data-switchboard-widget][data-state="offline"]').waitFor({ timeout: WAIT });
    await say('yes please');
    await log().locator('.pending').getByText('yes please').waitFor({ timeout: WAIT });
    await screenshot(page, 'widget-offline');
    await context.setOffline(false);
    await page.locator('[data-switchboard-widget][data-state="online"]').waitFor({ timeout: WAIT });
    await log().getByText('You are booked for').waitFor({ timeout: WAIT });
    expect(await log().locator('.pending').count()).toBe(0);
    expect(await log().getByText('yes please', { exact: true }).count()).toBe(1);
    await screenshot(page, 'widget-booked');

    // The agent sees one timeline: every visitor message once, in order.
    // Page-side code as source text: the test project has no DOM types.
    const stored = String(await page.evaluate("Object.entries(localStorage).find(([k]) => k.startsWith('switchboard-widget:'))?.[1] ?? '{}'"));
    const messages = (JSON.parse(stored) as { messages: { author: string; text: string }[] }).messages;
    expect(messages.filter((m) => m.author === 'visitor').map((m) => m.text)).toEqual(['I would like to book an appointment', 'tomorrow at ten', 'yes please']);
    const admin = await signedInClient(server);
    const contactId = await widget().evaluate((el) => el.getAttribute('data-contact'));
    const timeline = await admin.get(`/api/v1/contacts/${contactId}/timeline`);
    expect(timeline.status).toBe(200);
    const visitor = timeline.body.entries.filter((e: { message?: { author: string } }) => e.message?.author === 'visitor').map((e: { message: { text: string } }) => e.message.text);
    expect(visitor).toEqual(['I would like to book an appointment', 'tomorrow at ten', 'yes please']);
    // Reconnect attempts while offline fail by design; anything else is a bug.
    const errors = pageErrors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'));
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
