import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLocalAsr, createLocalSynthesizer } from '../../src/ai/local/index.js';
import { ensureConsoleBuilt } from '../../src/cli/console-build.js';
import { resample } from '../../src/media/index.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';
import { launchChromium, screenshot, signIn as signInAt, watchPage, writeWavArtifact } from './browser.js';

/**
 * A supervisor takes over a live browser call (the AI pauses, the supervisor's browser hears the caller and speaks
 * through a fake microphone), their speech appears in the call's transcript as the person's, they hand back, and the
 * ended call shows the takeover on its timeline with the recording.
 */
const SUPERVISOR = { email: 'sup-e2e@demo.switchboard.local', password: 'supervisor-password-2', name: 'Sid Supervisor' };
const AGENT = { email: 'agent-e2e@demo.switchboard.local', password: 'agent-password-2', name: 'Ada Agent' };

/** 48 kHz mono 440 Hz tone (the fake microphone of both browser contexts). */
function tone(seconds: number): Int16Array {
  const rate = 48_000;
  const samples = new Int16Array(rate * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 12_000);
  return samples;
}

/** The supervisor's fake microphone: a sentence (flite, 48 kHz) and a pause, looped by chromium. */
async function speech(text: string): Promise<Int16Array> {
  const tts = createLocalSynthesizer();
  try {
    const said = await tts.synthesize(text, { voice: 'slt' });
    return Int16Array.from([...new Int16Array(48_000 / 2), ...resample(said.samples, said.sampleRate, 48_000), ...new Int16Array(48_000 * 1.5)]);
  } finally {
    await tts.close();
  }
}

const asr = await checkLocalAsr();

const mediaFramesOver = (n: number) => `Number(document.querySelector('[data-testid="call-media-status"]')?.textContent?.match(/received (\\d+)/)?.[1] ?? 0) > ${n}`;

describe('supervisor takeover (browser)', () => {
  let server: TestServer;
  let browser: Browser;
  /** The supervisor's own chromium: its fake microphone speaks (the caller's plays a tone). */
  let supBrowser: Browser;
  let admin: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const wav = writeWavArtifact('fake-mic-supervisor-440hz.wav', tone(8), 48_000);
    await ensureConsoleBuilt();
    server = await startTestServer({ console: true });
    browser = await launchChromium({ microphoneWav: wav });
    supBrowser = await launchChromium({ microphoneWav: writeWavArtifact('fake-mic-supervisor-speech.wav', await speech('I can book you an appointment for tomorrow morning.'), 48_000) });
    admin = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await admin.newPage();
    watchPage(page, 'caller', pageErrors);
    await signInAt(page, server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await admin?.close();
    await browser?.close();
    await supBrowser?.close();
    await server?.close();
  });

  it('takes over a live call, hears the caller, hands back, and the ended call shows it with the recording', async () => {
    const me = (await (await admin.request.get(`${server.url}/api/v1/auth/me`)).json()) as { csrfToken: string };
    const created = await admin.request.post(`${server.url}/api/v1/users`, { headers: { 'x-csrf-token': me.csrfToken }, data: { ...SUPERVISOR, role: 'supervisor' } });
    expect(created.status()).toBe(201);

    await page.goto(`${server.url}/softphone`);
    await page.getByTestId('softphone').getByRole('button', { name: 'Call', exact: true }).click();
    await page.locator('[data-testid="softphone"][data-status="in-call"]').waitFor();
    const id = ((await page.getByTestId('softphone-call-link').getAttribute('href')) ?? '').split('/').pop() ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const supervisorContext = await supBrowser.newContext({ viewport: { width: 1366, height: 900 } });
    try {
      const sup = await supervisorContext.newPage();
      watchPage(sup, 'supervisor', pageErrors);
      await signInAt(sup, server.url, SUPERVISOR.email, SUPERVISOR.password);
      await sup.goto(`${server.url}/calls/${id}`);
      await sup.locator('[data-testid="call-view"][data-state="in-progress"]').waitFor();
      const panel = sup.getByTestId('call-supervision');
      await panel.getByRole('button', { name: 'Pause AI and take over' }).click();
      await sup.locator('[data-testid="call-supervision"][data-ai-paused="true"]').waitFor();
      await sup.locator('[data-testid="call-media-status"][data-mode="takeover"][data-status="open"]').waitFor();
      // The caller's microphone (the softphone) reaches the supervisor's browser, and the supervisor's goes back.
      await sup.waitForFunction(mediaFramesOver(25));
      expect(Number(/sent (\d+)/.exec((await sup.getByTestId('call-media-status').textContent()) ?? '')?.[1])).toBeGreaterThan(10);
      if (asr.available) {
        // What the supervisor says is transcribed live (local recognizer) and shown as the person's turn.
        // (The looped file may be joined mid-sentence: the first turn can be a fragment.)
        const said = sup.locator('[data-testid="transcript-segment"].turn-human', { hasText: /appointment|tomorrow|morning|book/ }).first();
        await said.waitFor({ timeout: 30_000 });
        expect(await said.locator('.turn-speaker').textContent()).toBe('Person');
      }
      await screenshot(sup, 'supervisor-takeover');

      await panel.getByRole('button', { name: 'Hand back to AI' }).click();
      await sup.locator('[data-testid="call-supervision"][data-ai-paused="false"]').waitFor();
      await screenshot(sup, 'supervisor-handed-back');

      await page.getByTestId('softphone').getByRole('button', { name: 'Hang up' }).click();
      await page.locator('[data-testid="softphone"][data-status="ended"]').waitFor();

      await sup.locator('[data-testid="call-view"][data-state="completed"]').waitFor();
      await sup.reload();
      await sup.getByTestId('waveform').waitFor();
      const timeline = (await sup.getByTestId('timeline').textContent()) ?? '';
      expect(timeline).toContain('Sid Supervisor paused the AI and took over');
      expect(timeline).toContain('Sid Supervisor handed the call back to the AI');
      expect(await sup.getByTestId('recording-download').getAttribute('href')).toBe(`/api/v1/calls/${id}/recording`);
      await sup.evaluate('(() => { const audio = document.querySelector(\'[data-testid="recording-audio"]\'); audio.muted = true; return audio.play(); })()');
      await sup.waitForFunction('(document.querySelector(\'[data-testid="recording-audio"]\')?.currentTime ?? 0) > 0.3');
      await screenshot(sup, 'supervisor-ended-call');
    } finally {
      await supervisorContext.close();
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('transfers a live call to an agent: held, marked on their board, and their "Take the call" connects them', async () => {
    const me = (await (await admin.request.get(`${server.url}/api/v1/auth/me`)).json()) as { csrfToken: string };
    const created = await admin.request.post(`${server.url}/api/v1/users`, { headers: { 'x-csrf-token': me.csrfToken }, data: { ...AGENT, role: 'agent' } });
    expect(created.status()).toBe(201);

    const agentContext = await supBrowser.newContext({ viewport: { width: 1366, height: 900 } });
    const adminView = await admin.newPage();
    try {
      // The agent watches their board before the call is theirs (queue general: they see it, not yet as theirs).
      const agent = await agentContext.newPage();
      watchPage(agent, 'agent', pageErrors);
      watchPage(adminView, 'admin-view', pageErrors);
      await signInAt(agent, server.url, AGENT.email, AGENT.password);
      await agent.goto(`${server.url}/calls`);

      await page.goto(`${server.url}/softphone`);
      await page.getByTestId('softphone').getByRole('button', { name: 'Call', exact: true }).click();
      await page.locator('[data-testid="softphone"][data-status="in-call"]').waitFor();
      const id = ((await page.getByTestId('softphone-call-link').getAttribute('href')) ?? '').split('/').pop() ?? '';

      // A browser call has no number to move to: the controls offer the agents only.
      await adminView.goto(`${server.url}/calls/${id}`);
      await adminView.locator('[data-testid="call-view"][data-state="in-progress"]').waitFor();
      const form = adminView.getByTestId('transfer-agent-form');
      await form.getByTestId('transfer-agent').selectOption({ label: `${AGENT.name} (agent · general)` });
      await form.getByRole('button', { name: 'Transfer to agent' }).click();
      await adminView.locator('[data-testid="call-view"][data-state="on-hold"]').waitFor();

      await agent.locator(`[data-testid="call-${id}"][data-state="on-hold"] [data-testid="awaiting-you"]`).waitFor();
      await screenshot(agent, 'agent-transfer-board');
      await agent.goto(`${server.url}/calls/${id}`);
      await agent.getByTestId('call-supervision').getByRole('button', { name: 'Take the call' }).click();
      await agent.locator('[data-testid="call-view"][data-state="in-progress"]').waitFor();
      await agent.locator('[data-testid="call-media-status"][data-mode="takeover"][data-status="open"]').waitFor();
      // Off hold: the caller's microphone reaches the agent's browser.
      await agent.waitForFunction(mediaFramesOver(25));
      await screenshot(agent, 'agent-transfer-taken');

      await page.getByTestId('softphone').getByRole('button', { name: 'Hang up' }).click();
      await page.locator('[data-testid="softphone"][data-status="ended"]').waitFor();
      await agent.locator('[data-testid="call-view"][data-state="completed"]').waitFor();
      await agent.reload();
      const timeline = (await agent.getByTestId('timeline').textContent()) ?? '';
      expect(timeline).toContain(`transferred the call to ${AGENT.name}`);
      expect(timeline).toContain(`${AGENT.name} paused the AI and took over`);
    } finally {
      await adminView.close();
      await agentContext.close();
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
