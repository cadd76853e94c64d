import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSynthesizer } from '../../src/ai/local/tts.js';
import { ensureConsoleBuilt } from '../../src/cli/console-build.js';
import { ensureWidgetBuilt } from '../../src/cli/widget-build.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';
import { signedInClient } from '../support/client.js';
import { launchChromium, screenshot, signIn, WAIT, watchPage, writeWavArtifact } from './browser.js';

/**
 * The embeddable widget on its demo page in a real browser: chat with the booking flow, reload and see the
 * conversation resume, go offline, type, come back online and see the message sent exactly once. Then a new
 * visitor chats and presses the voice button: a call with a fake microphone (a WAV) that picks the chat up at its
 * question, the agent's words as captions in the widget, mute and hang-up; back in the chat the booking goes on
 * from where the call left, and staff see the contact's one timeline (chat, call, chat) in the console.
 */

/** Silence while the agent picks the chat up, the answer to its question, then a long pause (chromium loops the file). */
async function visitorWav(): Promise<string> {
  const tts = createLocalSynthesizer();
  try {
    const speech = await tts.synthesize('tomorrow at ten', { voice: 'kal16' });
    const rate = speech.sampleRate;
    const samples = new Int16Array(rate * 9 + speech.samples.length + rate * 40);
    samples.set(speech.samples, rate * 9);
    return writeWavArtifact('fake-mic-widget.wav', samples, rate);
  } finally {
    await tts.close();
  }
}
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
    const wav = await visitorWav();
    await ensureWidgetBuilt();
    await ensureConsoleBuilt(); // staff open the contact's timeline in the console
    server = await startTestServer({ console: true });
    browser = await launchChromium({ microphoneWav: wav });
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

  it('chats, then calls with the voice button: the call picks the chat up, captions, mute, hang-up, the chat goes on, one timeline in the console', async () => {
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const staff = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await visitor.newPage();
    const errors: string[] = [];
    watchPage(p, 'caller', errors);
    const plog = () => p.getByRole('log', { name: 'Conversation' });
    const voice = () => p.getByRole('group', { name: 'Voice call' });
    try {
      await p.goto(`${server.url}/widget/demo`);
      await p.getByRole('button', { name: 'Chat with us' }).click();
      await p.locator('[data-switchboard-widget][data-state="online"]').waitFor({ timeout: WAIT });
      await p.getByLabel('Your message').fill('I would like to book an appointment');
      await p.getByLabel('Your message').press('Enter');
      await plog().getByText('What day and time would suit you?').waitFor({ timeout: WAIT });

      // Keyboard only: the voice button is a real button in the dialog.
      const call = voice().getByRole('button', { name: 'Start voice call' });
      await call.focus();
      await p.keyboard.press('Enter');
      await p.locator('[data-switchboard-widget][data-call="in-call"]').waitFor({ timeout: WAIT });
      await expect.poll(() => voice().getByRole('button', { name: 'Hang up' }).evaluate((el) => el === (el.getRootNode() as unknown as { activeElement: unknown }).activeElement), { timeout: WAIT }).toBe(true);
      await voice().getByRole('status').getByText('On the call').waitFor();
      // The call goes on from the chat: no greeting, the chat's question again (captions in the same log as the chat).
      await plog().locator('[data-channel="voice"][data-author="agent"]', { hasText: 'Picking up from our chat. What day and time would suit you?' }).waitFor({ timeout: 20_000 });
      // Mute and unmute while the agent is still speaking (the visitor's file is silent then).
      const mute = voice().getByRole('button', { name: 'Mute' });
      await mute.click();
      expect(await mute.getAttribute('aria-pressed')).toBe('true');
      await voice().getByRole('status').getByText('On the call (muted)').waitFor();
      await mute.click();
      expect(await mute.getAttribute('aria-pressed')).toBe('false');

      // The microphone reaches the flow: the visitor's answer is recognized and the call goes on to the next step.
      await plog().locator('[data-channel="voice"][data-author="visitor"]', { hasText: /tomorrow|ten/i }).waitFor({ timeout: 30_000 });
      await plog().locator('[data-channel="voice"][data-author="agent"]', { hasText: /Shall I book it/i }).waitFor({ timeout: 20_000 });
      await screenshot(p, 'widget-voice-call');

      const hangup = voice().getByRole('button', { name: 'Hang up' });
      await hangup.click();
      await p.locator('[data-switchboard-widget][data-call="ended"]').waitFor({ timeout: WAIT });
      await plog().getByText('Call ended').waitFor();
      await screenshot(p, 'widget-voice-ended');

      // Back in the chat, the flow is where the call left it: "yes" books what was said on the call.
      await p.getByLabel('Your message').fill('yes please');
      await p.getByLabel('Your message').press('Enter');
      await plog().getByText('You are booked for').waitFor({ timeout: WAIT });

      // The agent's one timeline for this contact: the chat, the call with its transcript, the chat after it.
      const contactId = await p.locator('[data-switchboard-widget]').evaluate((el) => el.getAttribute('data-contact'));
      const admin = await signedInClient(server);
      type Entry = { kind: string; message?: { author: string; text: string }; call?: { id: string; endedAt: string | null; transcript: { speaker: string; text: string }[] } };
      let entries: Entry[] = [];
      await expect.poll(async () => {
        entries = (await admin.get(`/api/v1/contacts/${contactId}/timeline`)).body.entries as Entry[];
        return entries.some((e) => e.call?.endedAt);
      }, { timeout: WAIT }).toBe(true);
      const kinds = entries.map((e) => e.kind);
      expect(kinds.filter((k) => k === 'call')).toHaveLength(1);
      const visitorSaid = (e: Entry) => (e.message?.author === 'visitor' ? e.message.text : null);
      expect(entries.map(visitorSaid).filter(Boolean)).toEqual(['I would like to book an appointment', 'yes please']);
      expect(entries.findIndex((e) => visitorSaid(e) === 'yes please')).toBeGreaterThan(kinds.indexOf('call'));
      expect(kinds.indexOf('call')).toBeGreaterThan(entries.findIndex((e) => visitorSaid(e) === 'I would like to book an appointment'));
      const callEntry = entries.find((e) => e.call)!.call!;
      expect(callEntry.transcript.some((t) => t.speaker === 'agent' && t.text.startsWith('Picking up from our chat.'))).toBe(true);
      expect(callEntry.transcript.some((t) => t.speaker === 'agent' && t.text.includes('thanks for calling'))).toBe(false);
      expect(callEntry.transcript.some((t) => t.speaker === 'caller' && /tomorrow|ten/i.test(t.text))).toBe(true);
      expect(errors, errors.join('\n')).toEqual([]);

      // Staff see the same in the console: from the call to the contact's page, chat and call in one ordered list.
      const sp = await staff.newPage();
      const staffErrors: string[] = [];
      watchPage(sp, 'admin', staffErrors);
      await signIn(sp, server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
      await sp.goto(`${server.url}/calls/${callEntry.id}`);
      await sp.getByRole('link', { name: 'Contact: chat and calls' }).click();
      await sp.waitForURL(`**/contacts/${contactId}`);
      const list = sp.getByRole('list', { name: 'Chat and calls' });
      await list.waitFor({ timeout: WAIT });
      await expect.poll(() => list.locator(':scope > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')))).toEqual(kinds);
      await list.locator('[data-kind="message"][data-author="visitor"]', { hasText: 'I would like to book an appointment' }).waitFor();
      const callItem = sp.getByRole('listitem', { name: /^Call, / });
      await callItem.getByRole('list', { name: 'What was said on the call' }).getByText('Picking up from our chat.', { exact: false }).waitFor();
      await list.locator('[data-kind="message"][data-author="visitor"]', { hasText: 'yes please' }).waitFor();
      await screenshot(sp, 'console-contact');
      expect(staffErrors, staffErrors.join('\n')).toEqual([]);
    } finally {
      await visitor.close();
      await staff.close();
    }
  });
});
