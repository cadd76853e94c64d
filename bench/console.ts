/**
 * npm run bench:console — builds the console, reports the initial bundle (entry chunk + its static imports + CSS,
 * gzipped) and times each main page on localhost in chromium: navigation start → the page's main content visible,
 * in a fresh profile (cold) and with a warm cache. Writes docs/benchmarks.md. Options: --runs N (default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import WebSocket from 'ws';
import { ensureConsoleBuilt } from '../src/cli/console-build.js';
import { launchChromium } from '../test/e2e/browser.js';
import { TestClient } from '../test/support/client.js';
import { startProcess } from '../test/support/process.js';
import { freePort } from '../test/support/server.js';
import { measureBundle } from './console-bundle.js';
import { measurePages, median, type PageProbe } from './console-tti.js';
import { machineLine, writeSection } from './report.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const PASSWORD = 'bench-admin-password';
const BUNDLE_LIMIT_KB = 300;
const TTI_LIMIT_MS = 2000;

const PROBES: PageProbe[] = [
  { name: 'Sign in', path: '/login', ready: 'form button[type="submit"]', signedIn: false },
  { name: 'Feature flags', path: '/flags', ready: '[data-testid="flags-table"]', signedIn: true },
  { name: 'Sessions', path: '/sessions', ready: '[data-testid="sessions-table"], [data-testid="sessions-empty"]', signedIn: true },
  { name: 'Calls', path: '/calls', ready: '[data-testid="live-calls"], [data-testid="live-calls-empty"]', signedIn: true },
  { name: 'Softphone', path: '/softphone', ready: '[data-testid="softphone"]', signedIn: true },
  { name: 'Flows', path: '/flows', ready: '[data-testid="flows-table"]', signedIn: true },
  { name: 'Flow editor + graph', path: '/flows/appointment-booking', ready: '[data-testid="flow-graph"]', signedIn: true },
  { name: 'Carriers and numbers', path: '/numbers', ready: '[data-testid="numbers-table"]', signedIn: true },
  { name: 'Users and API keys', path: '/access', ready: '[data-testid="users-table"]', signedIn: true },
  { name: 'AI providers', path: '/providers', ready: '[data-testid="provider-health"]', signedIn: true },
];

// 1. The bundle, built apart so the figure is of exactly these sources.
const outDir = mkdtempSync(join(tmpdir(), 'sb-console-'));
await build({ configFile: fileURLToPath(new URL('../src/web/vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const bundle = measureBundle(outDir);
rmSync(outDir, { recursive: true, force: true });

// 2. Time to interactive against a real server process serving dist/web.
const loadBefore = loadavg()[0]!;
await ensureConsoleBuilt();
const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-console-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = await startProcess({ SWITCHBOARD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base, LOG_LEVEL: 'warn', SWITCHBOARD_ADMIN_PASSWORD: PASSWORD });
const browser = await launchChromium();
let timings;
try {
  const login = await browser.newContext();
  const res = await login.request.post(`${base}/api/v1/auth/login`, { data: { email: 'admin@demo.switchboard.local', password: PASSWORD } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
  const state = await login.storageState();
  await login.close();
  const callId = await placeBrowserCall(base);
  timings = await measurePages(browser, base, [...PROBES, { name: 'Call view (ended call)', path: `/calls/${callId}`, ready: '[data-testid="transcript-segment"]', signedIn: true }], state, runs);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** A short browser-voice call to the echo agent (a few frames of silence), so the call view has a call to show. */
async function placeBrowserCall(url: string): Promise<string> {
  const client = new TestClient(url);
  await client.login('admin@demo.switchboard.local', PASSWORD);
  const session = (await client.post('/api/v1/sessions', { channel: 'browser-voice', flow: 'appointment-booking' })).body as { id: string; socketUrl: string; token: string };
  const socket = new WebSocket(`${session.socketUrl}?token=${encodeURIComponent(session.token)}`);
  const callId = await new Promise<string>((resolve, reject) => {
    socket.on('message', (data, binary) => {
      if (binary) return;
      const message = JSON.parse(String(data)) as { type: string; callId?: string };
      if (message.type === 'call' && message.callId) resolve(message.callId);
    });
    socket.once('error', reject);
  });
  // Let the agent greet (its transcript is what the call view shows), then hang up.
  const silence = Buffer.alloc(640);
  for (let i = 0; i < 150; i++) { socket.send(silence); await new Promise((r) => setTimeout(r, 20)); }
  socket.send(JSON.stringify({ type: 'end' }));
  socket.close();
  return callId;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const sizeTable = [
  '| part | files | raw KB | gzip KB |',
  '|---|---|---|---|',
  `| initial (index.html, entry chunk, its static imports, CSS) | ${bundle.initial.files.length} | ${kb(bundle.initial.rawBytes)} | **${kb(bundle.initial.gzipBytes)}** |`,
  `| lazy page chunks (all together) | ${bundle.lazy.files} | ${kb(bundle.lazy.rawBytes)} | ${kb(bundle.lazy.gzipBytes)} |`,
  `| largest lazy chunk (${bundle.lazy.largest?.file.replace(/^assets\//, '') ?? '—'}) | 1 | | ${kb(bundle.lazy.largest?.gzipBytes ?? 0)} |`,
].join('\n');
const ttiTable = [
  '| page | path | cold median ms | cold max ms | warm median ms | warm max ms |',
  '|---|---|---|---|---|---|',
  ...timings.map((t) => `| ${t.name} | \`${t.path.replace(/[0-9a-f-]{36}$/, ':id')}\` | ${median(t.cold)} | ${Math.max(...t.cold)} | ${median(t.warm)} | ${Math.max(...t.warm)} |`),
].join('\n');
const loadAfter = loadavg()[0]!;
const worst = Math.max(...timings.flatMap((t) => t.cold));
process.stdout.write(`${sizeTable}\n\n${ttiTable}\n`);
writeSection('Console bundle and time to interactive (bench:console)', `
Command: \`npm run bench:console -- --runs ${runs}\` — \`vite build\` of src/web, then the console served by \`switchboard start\`
(embedded defaults, its own process) and loaded in headless Debian chromium (playwright-core) on localhost, 1366×900.
Time to interactive is navigation start → the page's main content visible (its table, form, graph or panel; a
MutationObserver in the page), ${runs} loads per page in a fresh profile (cold: every asset fetched) and ${runs} with a warm HTTP cache.
Signed-in pages use the admin session. gzip is zlib level 9.
Machine: ${machineLine()}; 1-minute load average ${loadBefore.toFixed(1)} before the page loads, ${loadAfter.toFixed(1)} after (other work on the box slows cold loads most).
Targets: initial bundle under ${BUNDLE_LIMIT_KB} KB gzipped (${bundle.initial.gzipBytes / 1024 < BUNDLE_LIMIT_KB ? 'met' : 'NOT met'}); every page under ${TTI_LIMIT_MS} ms (${worst < TTI_LIMIT_MS ? 'met' : 'NOT met'}, slowest cold load ${worst} ms).

${sizeTable}

${ttiTable}
`);
