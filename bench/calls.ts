/**
 * npm run bench:calls -- [--calls N[,N…]] [--seconds S]
 * Starts the server as its own process (PGlite in a temp dir, LOG_LEVEL=warn); this process is the load generator:
 * N concurrent simulated Twilio calls to the echo number (+15005550006), each sending one tagged 20 ms μ-law frame
 * every 20 ms (one shared real-time clock). The echo returns the same bytes, so each echoed frame is matched to
 * the instant it left: added latency = echo arrival − send. Server CPU from /proc/<pid>/stat, RSS from
 * /proc/<pid>/status. Writes a section to docs/benchmarks.md. Default: N = 50, 200, 500 for 20 s each.
 * `--cpu-prof DIR`: the server writes a V8 CPU profile per run into DIR (open it in Chrome DevTools).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { TwilioCallSimulator, computeTwilioSignature } from '../src/telephony/twilio/index.js';
import { freePort } from '../test/support/server.js';
import { startProcess } from '../test/support/process.js';
import { TestClient } from '../test/support/client.js';
import { machineLine, writeSection } from './report.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '50,200,500' }, seconds: { type: 'string', default: '20' }, 'no-write': { type: 'boolean' }, 'cpu-prof': { type: 'string' } } });
const sizes = String(values.calls).split(',').map(Number).filter((n) => n > 0);
const seconds = Number(values.seconds);
const PASSWORD = 'bench-admin-password';
const ECHO = '+15005550006';
const FRAME = 160;
const LATE_MS = 20;

/** A frame: marker 0x11 0x22, 3 index bytes (0x30 + 6 bits each), μ-law filler. Never contains the marker elsewhere. */
function frame(index: number): Buffer {
  const f = Buffer.alloc(FRAME, 0x55);
  f[0] = 0x11; f[1] = 0x22;
  f[2] = 0x30 + (index & 63); f[3] = 0x30 + ((index >> 6) & 63); f[4] = 0x30 + ((index >> 12) & 63);
  return f;
}

class Caller {
  sentAt: number[] = [];
  latency: number[] = [];
  echoed = new Set<number>();
  ws!: WebSocket;
  streamSid = `MZ${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`;
  seq = 0;
  measuring = false;
  constructor(readonly sim: TwilioCallSimulator, readonly sid: string, readonly accountSid: string) {}

  async connect(baseUrl: string, authToken: string, streamUrl: string, parameters: Record<string, string>): Promise<void> {
    const path = new URL(streamUrl).pathname;
    this.ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, { headers: { 'X-Twilio-Signature': computeTwilioSignature(authToken, streamUrl, {}) } });
    await new Promise<void>((resolve, reject) => { this.ws.once('open', () => resolve()); this.ws.once('error', reject); });
    this.ws.on('message', (data) => this.onMessage(String(data)));
    this.ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    this.ws.send(JSON.stringify({ event: 'start', sequenceNumber: String(++this.seq), streamSid: this.streamSid, start: {
      streamSid: this.streamSid, accountSid: this.accountSid, callSid: this.sid, tracks: ['inbound'], customParameters: parameters,
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } } }));
  }

  tick(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const index = this.sentAt.length;
    this.sentAt.push(this.measuring ? performance.now() : -1);
    this.ws.send(`{"event":"media","sequenceNumber":"${++this.seq}","streamSid":"${this.streamSid}","media":{"track":"inbound","chunk":"${index + 1}","timestamp":"${index * 20}","payload":"${frame(index).toString('base64')}"}}`);
  }

  private onMessage(text: string): void {
    const now = performance.now();
    if (!text.startsWith('{"event":"media"') && !text.includes('"event":"media"')) return;
    const payload = /"payload":"([^"]*)"/.exec(text)?.[1];
    if (!payload) return;
    const bytes = Buffer.from(payload, 'base64');
    for (let i = 0; i + 5 <= bytes.length; i++) {
      if (bytes[i] !== 0x11 || bytes[i + 1] !== 0x22) continue;
      const index = (bytes[i + 2]! - 0x30) | ((bytes[i + 3]! - 0x30) << 6) | ((bytes[i + 4]! - 0x30) << 12);
      const sent = this.sentAt[index];
      if (sent !== undefined && sent >= 0 && !this.echoed.has(index)) { this.echoed.add(index); this.latency.push(now - sent); }
    }
  }
}

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]! : NaN);
const cpuTicks = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return Number(f[11]) + Number(f[12]); };
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (next < items.length) await fn(items[next++]!); }));
}

interface Row { calls: number; connected: number; setupS: number; cpu: number; rss: number; idleRss: number; p50: number; p99: number; max: number; frames: number; late: number; lost: number; tickLagP99: number }

async function run(n: number): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-calls-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startProcess({ SWITCHBOARD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', SWITCHBOARD_ADMIN_PASSWORD: PASSWORD },
    60_000, values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : []);
  const pid = server.child.pid!;
  try {
    const admin = new TestClient(url);
    await admin.login('admin@demo.switchboard.local', PASSWORD);
    const creds = (await admin.get(`/api/v1/carriers/twilio/simulator-credentials`)).body as { accountId: string; authToken: string };
    await new Promise((r) => setTimeout(r, 3000)); // start-up garbage settles before the idle sample
    const idleRss = rssMiB(pid);
    const callers: Caller[] = [];
    let timer: NodeJS.Timeout | null = null;
    let nextAt = performance.now();
    const lags: number[] = [];
    const clock = () => {
      const now = performance.now();
      if (now - nextAt > 0) lags.push(now - nextAt);
      while (nextAt <= now) { for (const c of callers) c.tick(); nextAt += 20; }
      timer = setTimeout(clock, Math.max(0, nextAt - performance.now()));
    };
    clock();
    const t0 = performance.now();
    await pool(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
      const sim = new TwilioCallSimulator({ baseUrl: url, authToken: creds.authToken, accountSid: creds.accountId, from: `+1555${String(1000000 + i).slice(1)}`, to: ECHO });
      const { answer } = await sim.dialIn();
      if (answer.kind !== 'stream') return;
      const caller = new Caller(sim, sim.callSid, creds.accountId);
      await caller.connect(url, creds.authToken, answer.streamUrl, answer.parameters ?? {}).then(() => callers.push(caller), () => undefined);
    });
    const setupS = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 1000)); // settle
    lags.length = 0;
    const cpu0 = cpuTicks(pid);
    const w0 = performance.now();
    for (const c of callers) c.measuring = true;
    let rssPeak = 0;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMiB(pid)); }, 1000);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    for (const c of callers) c.measuring = false;
    const cpu = ((cpuTicks(pid) - cpu0) / 100) / ((performance.now() - w0) / 1000) * 100;
    clearInterval(sampler);
    await new Promise((r) => setTimeout(r, 500)); // let the last echoes arrive
    if (timer) clearTimeout(timer);
    const all = callers.flatMap((c) => c.latency).sort((a, b) => a - b);
    const frames = callers.reduce((s, c) => s + c.sentAt.filter((t) => t >= 0).length, 0);
    const lost = frames - all.length;
    const late = all.filter((l) => l > LATE_MS).length;
    await pool(callers, 32, async (c) => {
      c.ws.send(JSON.stringify({ event: 'stop', sequenceNumber: String(++c.seq), streamSid: c.streamSid, stop: { accountSid: c.accountSid, callSid: c.sid } }));
      c.ws.close();
      await c.sim.sendStatus('completed').catch(() => undefined);
    });
    lags.sort((a, b) => a - b);
    return { calls: n, connected: callers.length, setupS, cpu, rss: rssPeak, idleRss, p50: pct(all, 0.5), p99: pct(all, 0.99), max: all.at(-1) ?? NaN, frames, late, lost, tickLagP99: pct(lags, 0.99) };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const n of sizes) {
  process.stdout.write(`bench:calls ${n} calls × ${seconds} s …\n`);
  const row = await run(n);
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const table = [
  '| calls (connected) | server CPU | CPU / call | RSS (idle → peak) | RSS / call | added latency p50 / p99 / max | frames | late (> 20 ms) | lost | loader tick lag p99 |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.calls} (${r.connected}) | ${f(r.cpu)} % | ${f(r.cpu / Math.max(1, r.connected), 2)} % | ${f(r.idleRss, 0)} → ${f(r.rss, 0)} MiB | ${f((r.rss - r.idleRss) / Math.max(1, r.connected) * 1024, 0)} KiB | ${f(r.p50, 2)} / ${f(r.p99, 2)} / ${f(r.max, 1)} ms | ${r.frames} | ${r.late} (${f(r.late / Math.max(1, r.frames) * 100, 2)} %) | ${r.lost} | ${f(r.tickLagP99, 1)} ms |`),
];
const target = rows.find((r) => r.calls >= 500);
const verdict = rows.map((r) => `${r.calls} calls: ${r.connected < r.calls ? `only ${r.connected} connected; ` : ''}p99 ${f(r.p99, 2)} ms${r.p99 > 10 ? ' (over the 10 ms target)' : ''}, ${r.lost} lost`).join('; ');
const body = [
  `Command: \`npm run bench:calls -- --calls ${sizes.join(',')} --seconds ${seconds}\``,
  `Machine: ${machineLine()}`,
  '',
  'Server: `switchboard start` as its own process (PGlite, LOG_LEVEL=warn). Load generator: this process, N simulated Twilio',
  'calls to the echo agent, one tagged 160-byte μ-law frame per call every 20 ms on a shared real-time clock. Added latency',
  '= echo arrival − frame send, both on the generator (so it includes both sides\' event loops and the loopback). CPU is',
  'the server process only (/proc stat utime+stime over the measured window; 100 % = one core). RSS peak from /proc status.',
  '',
  ...table,
  '',
  `Where it breaks: ${verdict}.${target && target.p99 <= 10 && target.lost === 0 ? ' 500 calls meet the target (p99 ≤ 10 ms, no lost frame).' : ''}`,
  'The generator shares the 2 cores with the server; its own tick lag (last column) is part of the measured latency.',
  "RSS caveat: the server's RSS swings by ±350 MiB on its own (start-up heap, embedded PGlite/WASM memory released\nlater), so idle→peak differences and the RSS / call column are not reliable yet; a negative value means exactly that.",
].join('\n');
if (!values['no-write']) writeSection('Concurrent calls (bench:calls)', body);
process.stdout.write(`\n${body}\n`);
