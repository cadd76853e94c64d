import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSynthesizer } from '../../src/ai/local/tts.js';
import { ensureConsoleBuilt } from '../../src/cli/console-build.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';
import { launchChromium, screenshot, signIn, watchPage, writeWavArtifact } from './browser.js';

/**
 * The newcomer's path: in the console, a browser call to the example booking flow. The fake microphone speaks a
 * request (made here with the local speech synthesizer); the agent answers by voice, both sides' transcript shows
 * live in the call view, and the recording is there afterwards.
 */

const REQUEST = 'I would like to book an appointment tomorrow at ten';

/** Silence while the agent greets, the request, then a long pause (chromium loops the file). */
async function callerWav(): Promise<string> {
  const tts = createLocalSynthesizer();
  try {
    const speech = await tts.synthesize(REQUEST, { voice: 'kal16' });
    const rate = speech.sampleRate;
    const samples = new Int16Array(rate * 9 + speech.samples.length + rate * 40);
    samples.set(speech.samples, rate * 9);
    return writeWavArtifact('fake-mic-booking.wav', samples, rate);
  } finally {
    await tts.close();
  }
}

describe('a browser call to the booking flow (newcomer path)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    const wav = await callerWav();
    await ensureConsoleBuilt();
    server = await startTestServer({ console: true });
    browser = await launchChromium({ microphoneWav: wav });
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

  it('hears the agent, sees the transcript live and finds the recording', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Softphone' }).click();
    const softphone = page.getByTestId('softphone');
    await softphone.getByRole('combobox').selectOption({ label: 'Flow: Appointment booking' });
    await softphone.getByRole('button', { name: 'Call', exact: true }).click();
    await page.locator('[data-testid="softphone"][data-status="in-call"]').waitFor();
    const href = (await page.getByTestId('softphone-call-link').getAttribute('href')) ?? '';
    const id = href.split('/').pop() ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    // The agent's voice reaches the browser.
    await page.waitForFunction('Number(document.querySelector(\'[data-testid="frames-received"]\')?.textContent) > 50', undefined, { timeout: 20_000 });

    // The live call view: the agent's greeting, then the caller's request, transcribed as they happen.
    await page.getByTestId('softphone-call-link').click();
    await page.waitForURL(`${server.url}/calls/${id}`);
    await page.locator('.turn-agent[data-testid="transcript-segment"]').first().waitFor({ timeout: 20_000 });
    await page.locator('.turn-caller[data-testid="transcript-segment"]', { hasText: /appointment/i }).waitFor({ timeout: 30_000 });
    // The agent answers the request.
    await page.waitForFunction(`(() => {
      const turns = [...document.querySelectorAll('[data-testid="transcript-segment"]')];
      const asked = turns.findIndex((t) => t.classList.contains('turn-caller') && /appointment/i.test(t.textContent ?? ''));
      return asked >= 0 && turns.slice(asked + 1).some((t) => t.classList.contains('turn-agent'));
    })()`, undefined, { timeout: 30_000 });
    await screenshot(page, 'booking-call-live');

    // Hang up (if the flow has not ended the call already), then the recording is on the ended call.
    const state = await page.getByTestId('call-view').getAttribute('data-state');
    if (state !== 'completed') {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Softphone' }).click();
      const hangup = page.getByTestId('softphone').getByRole('button', { name: 'Hang up' });
      if (await hangup.isVisible()) await hangup.click();
      await page.goto(`${server.url}/calls/${id}`);
    }
    await page.locator('[data-testid="call-view"][data-state="completed"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('recording-audio').waitFor();
    expect(await page.getByTestId('recording-download').getAttribute('href')).toBe(`/api/v1/calls/${id}/recording`);
    await screenshot(page, 'booking-call-ended');
    expect(errors).toEqual([]);
  });
});
