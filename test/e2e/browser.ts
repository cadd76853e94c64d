import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** What every browser test shares: Debian chromium started headless, sign-in, page error capture, artifacts. */

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const WAIT = 15_000;

/** Headless chromium; with `microphoneWav`, a fake microphone that plays that file (looped). */
export async function launchChromium(options: { microphoneWav?: string } = {}): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const mic = options.microphoneWav
    ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${options.microphoneWav}`]
    : [];
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required', ...mic],
  });
}

/** Collects page errors and console errors (a 401 before sign-in is expected) into `errors`. */
export function watchPage(page: Page, who: string, errors: string[], onConsole?: (text: string) => void): void {
  page.setDefaultTimeout(WAIT);
  page.on('pageerror', (err) => errors.push(`${who} pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource.*\b401\b/.test(msg.text())) errors.push(`${who} console: ${msg.text()}`);
    onConsole?.(msg.text());
  });
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** A mono 16-bit PCM WAV file in the artifacts folder; answers its path. */
export function writeWavArtifact(name: string, samples: Int16Array, sampleRate: number): string {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + data.length, 4); header.write('WAVE', 8);
  header.write('fmt ', 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24); header.writeUInt32LE(sampleRate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(data.length, 40);
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  writeFileSync(path, Buffer.concat([header, data]));
  return path;
}
