/**
 * npm run bench:softphone -- [--calls N] [--no-write]
 * The console's softphone in Debian chromium (headless, fake microphone) against `switchboard start` as its own
 * process (PGlite in a temp dir). N calls to the echo agent; each runs until the softphone has measured ~12 round
 * trips with its probe frames (a tagged 20 ms frame the echo returns byte for byte: browser → socket → server media
 * path → socket → browser; one a second). Reports the round trip per call and the microphone → server estimate
 * (one 20 ms frame to fill + half the round trip + the AudioContext's base latency). Writes docs/benchmarks.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureConsoleBuilt } from '../src/cli/console-build.js';
import { launchChromium, signIn, writeWavArtifact } from '../test/e2e/browser.js';
import { startProcess } from '../test/support/process.js';
import { freePort } from '../test/support/server.js';
import { machineLine, writeSection } from './report.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '5' }, 'no-write': { type: 'boolean' } } });
const CALLS = Math.max(1, Number(values.calls));
const PASSWORD = 'bench-admin-password';
const FRAME_MS = 20;

/** A quiet 440 Hz tone: something for the microphone level while the probes measure. */
function tone(seconds: number, rate = 48_000): Int16Array {
  const out = new Int16Array(rate * seconds);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 3000);
  return out;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN; };

await ensureConsoleBuilt();
const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-softphone-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = await startProcess({ SWITCHBOARD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', SWITCHBOARD_ADMIN_PASSWORD: PASSWORD });
const browser = await launchChromium({ microphoneWav: writeWavArtifact('bench-softphone-mic.wav', tone(30), 48_000) });
const rows: Array<{ roundTripMs: number; baseLatencyMs: number }> = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await signIn(page, url, 'admin@demo.switchboard.local', PASSWORD);
  const baseLatencyMs = await page.evaluate('(() => { const c = new AudioContext({ latencyHint: "interactive" }); const ms = c.baseLatency * 1000; void c.close(); return ms; })()') as number;
  await page.goto(`${url}/softphone`);
  for (let i = 0; i < CALLS; i++) {
    const softphone = page.getByTestId('softphone');
    await softphone.getByRole('button', { name: 'Call', exact: true }).click();
    await page.locator('[data-testid="softphone"][data-status="in-call"]').waitFor();
    // The panel shows the median of the last 21 probes (one a second); wait until about 12 have come back.
    await page.waitForFunction('/round trip \\d+ ms/.test(document.querySelector(\'[data-testid="round-trip"]\')?.textContent ?? "")');
    await new Promise((r) => setTimeout(r, 12_000));
    const text = (await page.getByTestId('round-trip').textContent()) ?? '';
    const roundTripMs = Number(/(\d+) ms/.exec(text)?.[1]);
    rows.push({ roundTripMs, baseLatencyMs });
    process.stdout.write(`call ${i + 1}: round trip ${roundTripMs} ms\n`);
    await softphone.getByRole('button', { name: 'Hang up' }).click();
    await page.locator('[data-testid="softphone"][data-status="ended"]').waitFor();
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

const trips = rows.map((r) => r.roundTripMs);
const base = rows[0]?.baseLatencyMs ?? 0;
const micToServer = (rtt: number) => FRAME_MS + rtt / 2 + base;
const body = [
  `Command: \`npm run bench:softphone -- --calls ${CALLS}\``,
  `Machine: ${machineLine()}`,
  '',
  'The console softphone in headless Debian chromium (fake microphone) calling the echo agent of `switchboard start`',
  '(own process, PGlite) on localhost. Each call runs until about 12 probe frames came back; the panel\'s median round',
  'trip is read per call. Microphone → server = one 20 ms frame filled by the AudioWorklet + half the round trip + the',
  'AudioContext base latency (chromium reports it; the fake device adds no hardware buffer).',
  '',
  '| calls | round trip per call (median of its probes) | round trip, median of calls | AudioContext base latency | microphone → server (median / worst call) |',
  '|---|---|---|---|---|',
  `| ${rows.length} | ${trips.join(', ')} ms | ${median(trips)} ms | ${base.toFixed(1)} ms | ${micToServer(median(trips)).toFixed(0)} / ${micToServer(Math.max(...trips)).toFixed(0)} ms |`,
  '',
  `Target (issue: softphone): microphone → server under 100 ms on localhost: ${micToServer(Math.max(...trips)) < 100 ? 'met' : 'missed'}.`,
].join('\n');
if (!values['no-write']) writeSection('Softphone latency (bench:softphone)', body);
process.stdout.write(`\n${body}\n`);
