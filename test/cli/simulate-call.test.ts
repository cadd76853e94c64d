import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goertzelPower, meanSquare, readWav, sine, writeWav } from '../../src/media/index.js';
import { TestClient } from '../support/client.js';
import { startProcess, type RunningServer } from '../support/process.js';
import { ADMIN_PASSWORD, freePort } from '../support/server.js';

const BIN = fileURLToPath(new URL('../../bin/switchboard.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'sb-simulate-'));
let server: RunningServer;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = await startProcess({ SWITCHBOARD_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'warn', SWITCHBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'simulate-call', ...args], { env: { PATH: process.env['PATH'] ?? '', SWITCHBOARD_DATA_DIR: dataDir }, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('switchboard simulate-call', () => {
  it('calls the echo number as Twilio with a 16 kHz stereo WAV, records the echo, and leaves a call with a recording', async () => {
    const tone = sine(440, 16000, 16000, 0.4);
    const stereo = new Int16Array(tone.length * 2);
    tone.forEach((s, i) => { stereo[i * 2] = s; stereo[i * 2 + 1] = s; });
    const input = join(dataDir, 'in.wav');
    const output = join(dataDir, 'out.wav');
    writeFileSync(input, writeWav(stereo, 16000, 2));

    const run = await cli(['--url', url, '--audio', input, '--seconds', '1', '--out', output]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\[\s*\d+ ms\] webhook/);
    expect(run.stdout).toMatch(/\[\s*\d+ ms\] agent-audio/);
    const callId = /call id:\s+(\S+)/.exec(run.stdout)?.[1];
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);

    const echoed = readWav(readFileSync(output));
    expect(echoed.sampleRate).toBe(8000);
    expect(echoed.samples.length).toBeGreaterThan(8000);
    const body = echoed.samples.subarray(800, 7200);
    expect(goertzelPower(body, 440, 8000) / meanSquare(body)).toBeGreaterThan(0.9);

    const admin = new TestClient(url);
    expect((await admin.login(undefined, ADMIN_PASSWORD)).status).toBe(200);
    let call = (await admin.get(`/api/v1/calls/${callId}`)).body;
    for (let i = 0; i < 50 && call.state !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      call = (await admin.get(`/api/v1/calls/${callId}`)).body;
    }
    expect(call.state).toBe('completed');
    expect(call.recordingUrl).toBeTruthy();
    const wav = await fetch(`${url}/api/v1/calls/${callId}/recording`, { headers: { cookie: admin.cookie! } });
    expect(wav.status).toBe(200);
    expect(readWav(new Uint8Array(await wav.arrayBuffer())).channels).toBe(2);
  }, 60_000);

  it('acceptance: one sentence books an appointment on the demo flow, read back by voice, and the call ends', async () => {
    const started = Date.now();
    const run = await cli(['--url', url, '--say', 'I would like to book an appointment tomorrow at ten'], 90_000);
    const wallMs = Date.now() - started;
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('→ +15005550009');
    const at = (kind: string) => Number(new RegExp(`\\[\\s*(\\d+) ms\\] ${kind}`).exec(run.stdout)?.[1]);
    // The agent hung up (the caller did not), and the simulator left at once.
    expect(at('closed')).toBeGreaterThan(0);
    expect(run.stdout).not.toMatch(/caller hangs up/);
    expect(at('status') - at('closed')).toBeLessThan(1000);
    expect(wallMs - at('closed')).toBeLessThan(8000); // includes node's start and the caller's speech synthesis
    const callId = /call id:\s+(\S+)/.exec(run.stdout)?.[1];

    const admin = new TestClient(url);
    expect((await admin.login(undefined, ADMIN_PASSWORD)).status).toBe(200);
    let call = (await admin.get(`/api/v1/calls/${callId}`)).body;
    for (let i = 0; i < 50 && (call.state !== 'completed' || !call.recordingUrl); i++) {
      await new Promise((r) => setTimeout(r, 100));
      call = (await admin.get(`/api/v1/calls/${callId}`)).body;
    }
    expect(call).toMatchObject({ state: 'completed', hangupCause: 'booked', hangupSource: 'agent' });
    const lines = (call.transcript as { speaker: string; text: string }[]).map((t) => `${t.speaker}: ${t.text}`);
    expect(lines.filter((l) => l.startsWith('caller:'))).toEqual(['caller: i would like to book an appointment tomorrow at ten']);
    expect(lines.join('\n')).toMatch(/agent: Booked for \w+, \w+ \d+ at 10 AM\. If that is wrong, say change\.\nagent: Thank you for calling\. Goodbye\./);
    expect(call.recordingUrl).toBeTruthy();
    const wav = await fetch(`${url}/api/v1/calls/${callId}/recording`, { headers: { cookie: admin.cookie! } });
    expect(wav.status).toBe(200);
    const recording = readWav(new Uint8Array(await wav.arrayBuffer()));
    expect(recording.channels).toBe(2);
    expect(recording.samples.length / 2 / recording.sampleRate).toBeGreaterThan(15); // both sides, the whole call
  }, 120_000);

  it('calls the Telnyx demo number with spoken text, finding credentials through the admin API', async () => {
    const run = await cli(['--url', url, '--carrier', 'telnyx', '--say', 'hello from the simulator', '--seconds', '0.5', '--email', 'admin@demo.switchboard.local', '--password', ADMIN_PASSWORD]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/answer\s+200 answer/);
    expect(Number(/agent audio:\s+(\d+) ms/.exec(run.stdout)?.[1])).toBeGreaterThan(500);
  }, 60_000);
});
