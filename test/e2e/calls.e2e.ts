import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt } from '../../src/cli/console-build.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';
import { launchChromium, screenshot, signIn as signInAt, watchPage, writeWavArtifact } from './browser.js';

/**
 * Calls in a real browser against a real server: a softphone call to the echo agent with a fake microphone (a WAV
 * made here), the call live on the board, audio back with its round trip, the recording afterwards; a supervisor
 * hangs up a live call from the call view.
 */

const SUPERVISOR = { email: 'supervisor@demo.switchboard.local', password: 'supervisor-password-1', name: 'Sam Supervisor' };

/** 48 kHz mono: a 440 Hz tone, half a second on and a quarter off, for `seconds`. */
function tone(seconds: number): Int16Array {
  const rate = 48_000;
  const samples = new Int16Array(rate * seconds);
  for (let i = 0; i < samples.length; i++) {
    const on = (i % (rate * 0.75)) < rate * 0.5;
    samples[i] = on ? Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12_000) : 0;
  }
  return samples;
}

/** Page-side predicates as source text: the test project has no DOM types. */
const framesReceivedOver = (n: number) => `Number(document.querySelector('[data-testid="frames-received"]')?.textContent) > ${n}`;

describe('calls and softphone (browser)', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const latencies: string[] = [];

  const shot = (p: Page, name: string) => screenshot(p, `calls-${name}`);
  const watch = (p: Page, who: string) => watchPage(p, who, pageErrors, (text) => { if (text.startsWith('softphone: round trip')) latencies.push(text); });
  const signIn = (p: Page, email: string, password: string) => signInAt(p, server.url, email, password);
  const numberIn = async (p: Page, testId: string) => Number((await p.getByTestId(testId).textContent()) ?? 'NaN');
  /** Starts an echo call on the page's softphone and answers its call id. */
  const placeCall = async (p: Page) => {
    await p.getByTestId('softphone').getByRole('button', { name: 'Call', exact: true }).click();
    await p.locator('[data-testid="softphone"][data-status="in-call"]').waitFor();
    const href = (await p.getByTestId('softphone-call-link').getAttribute('href')) ?? '';
    const id = href.split('/').pop() ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    return id;
  };

  beforeAll(async () => {
    const wav = writeWavArtifact('fake-mic-440hz.wav', tone(6), 48_000);
    await ensureConsoleBuilt();
    server = await startTestServer({ console: true });
    browser = await launchChromium({ microphoneWav: wav });
    admin = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await admin.newPage();
    watch(page, 'admin');
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    if (latencies.length > 0) process.stdout.write(`softphone latency (echo agent, localhost): ${latencies.at(-1)}\n`);
    await admin?.close();
    await browser?.close();
    await server?.close();
  });

  it('places a softphone call to the echo agent: live on the board, audio back, recording afterwards', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    await page.waitForURL(`${server.url}/calls`);
    await page.locator('[data-testid="live-indicator"][data-status="live"]').waitFor();
    await page.getByTestId('live-calls-empty').waitFor();

    await page.getByRole('button', { name: 'Softphone' }).click();
    const id = await placeCall(page);
    // The board learns about the call from the event socket alone.
    const row = page.getByTestId('live-calls').getByTestId(`call-${id}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('echo');
    expect(await row.textContent()).toContain('browser');

    // Audio comes back (echo) and the probes measure the round trip.
    await page.waitForFunction(framesReceivedOver(25));
    await page.getByTestId('round-trip').filter({ hasText: /round trip \d+ ms/ }).waitFor();
    await page.waitForFunction(framesReceivedOver(100));
    expect(await numberIn(page, 'frames-sent')).toBeGreaterThan(100);
    const roundTrip = Number(/(\d+) ms/.exec((await page.getByTestId('round-trip').textContent()) ?? '')?.[1]);
    expect(roundTrip).toBeGreaterThanOrEqual(0);
    expect(roundTrip).toBeLessThan(500);
    process.stdout.write(`softphone: round trip ${roundTrip} ms, mic→server ${await page.getByTestId('mic-to-server').textContent()}\n`);
    await page.getByTestId('mic-level').waitFor();
    await shot(page, 'board');

    // The call survives moving to the softphone page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Softphone' }).click();
    await page.locator('[data-testid="softphone"][data-status="in-call"]').waitFor();
    await shot(page, 'softphone');

    await page.getByTestId('softphone').getByRole('button', { name: 'Hang up' }).click();
    await page.locator('[data-testid="softphone"][data-status="ended"]').waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    const ended = page.getByTestId('recent-calls').getByTestId(`call-${id}`);
    await ended.waitFor();
    await page.getByTestId('live-calls').getByTestId(`call-${id}`).waitFor({ state: 'detached' });
    await ended.click();
    await page.waitForURL(`${server.url}/calls/${id}`);
    await page.locator('[data-testid="call-view"][data-state="completed"]').waitFor();
    await page.getByTestId('waveform').waitFor();
    await page.getByTestId('recording-audio').waitFor();
    expect(await page.getByTestId('timeline').textContent()).toContain('recording.saved');
    const href = (await page.getByTestId('recording-download').getAttribute('href')) ?? '';
    expect(href).toBe(`/api/v1/calls/${id}/recording`);
    // The recording plays and the waveform follows.
    await page.evaluate('(() => { const audio = document.querySelector(\'[data-testid="recording-audio"]\'); audio.muted = true; return audio.play(); })()');
    await page.waitForFunction('(document.querySelector(\'[data-testid="recording-audio"]\')?.currentTime ?? 0) > 0.2');
    await shot(page, 'call-view');

    // The download, with the page's cookies.
    const download = await page.evaluate(async (url) => {
      const res = await fetch(url, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, type: res.headers.get('content-type'), size: bytes.length, riff: String.fromCharCode(...bytes.slice(0, 4)) };
    }, href);
    expect(download).toMatchObject({ status: 200, type: 'audio/wav', riff: 'RIFF' });
    expect(download.size).toBeGreaterThan(44 + 16_000);
    const ranged = await admin.request.get(`${server.url}${href}`, { headers: { range: 'bytes=0-99' } });
    expect(ranged.status()).toBe(206);
  });

  it('a supervisor holds, resumes and hangs up a live call from the call view', async () => {
    const me = (await (await admin.request.get(`${server.url}/api/v1/auth/me`)).json()) as { csrfToken: string };
    const created = await admin.request.post(`${server.url}/api/v1/users`, {
      headers: { 'x-csrf-token': me.csrfToken }, data: { ...SUPERVISOR, role: 'supervisor' },
    });
    expect(created.status()).toBe(201);

    await page.goto(`${server.url}/softphone`);
    const id = await placeCall(page);

    const supervisorContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    try {
      const sup = await supervisorContext.newPage();
      watch(sup, 'supervisor');
      await signIn(sup, SUPERVISOR.email, SUPERVISOR.password);
      await sup.goto(`${server.url}/calls`);
      await sup.getByTestId('live-calls').getByTestId(`call-${id}`).click();
      await sup.waitForURL(`${server.url}/calls/${id}`);
      await sup.locator('[data-testid="call-view"][data-state="in-progress"]').waitFor();
      const controls = sup.getByTestId('call-controls');
      // A browser call has no number to be transferred to: only the transfer to an agent is offered.
      expect(await controls.getByRole('button', { name: 'Transfer', exact: true }).count()).toBe(0);
      expect(await controls.getByRole('button', { name: 'Transfer to agent' }).count()).toBe(1);
      await sup.waitForFunction('/[1-9]/.test(document.querySelector(\'[data-testid="call-view-duration"]\')?.textContent ?? "")');
      await shot(sup, 'call-view-live');
      // Hold and resume from the call view (the caller hears hold audio meanwhile; see test/call/hold.test.ts).
      await controls.getByRole('button', { name: 'Hold' }).click();
      await sup.locator('[data-testid="call-view"][data-state="on-hold"]').waitFor();
      await controls.getByRole('button', { name: 'Resume' }).click();
      await sup.locator('[data-testid="call-view"][data-state="in-progress"]').waitFor();
      await controls.getByRole('button', { name: 'Hang up' }).click();
      await sup.locator('[data-testid="call-view"][data-state="completed"]').waitFor();
      await page.locator('[data-testid="softphone"][data-status="ended"]').waitFor();

      const call = (await (await admin.request.get(`${server.url}/api/v1/calls/${id}`)).json()) as { state: string; hangupSource: string; hangupCause: string };
      expect(call).toMatchObject({ state: 'completed', hangupSource: 'platform', hangupCause: 'ended-by-supervisor' });
    } finally {
      await supervisorContext.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
