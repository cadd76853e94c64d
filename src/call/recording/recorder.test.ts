import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deinterleave, readWav } from '../../media/index.js';
import { DualChannelRecorder } from './recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A test clock the recorder reads; tests move it by hand. */
function clock() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}
const frame = (value: number, n = 160) => new Int16Array(n).fill(value);
const RATE = 8000;

describe('dual-channel recorder', () => {
  it('aligns caller audio by media time and agent audio by play time, silence in between', async () => {
    const t = clock();
    const rec = await DualChannelRecorder.open(join(dir, 'align.wav'), { sampleRate: RATE, clock: t.now, flushIntervalMs: 0, lagMs: 0 });
    rec.writeCaller(frame(100), 0);       // 0–20 ms
    rec.writeCaller(frame(200), 40);      // 40–60 ms: a 20 ms gap before it is silence
    t.advance(60);
    rec.writeAgent(frame(300, 320));      // plays at 60 ms for 40 ms
    rec.writeAgent(frame(400));           // queued: plays after the first, 100–120 ms
    t.advance(80);                        // now 140 ms
    const { durationMs } = await rec.close();
    expect(durationMs).toBe(140);
    const wav = readWav(readFileSync(join(dir, 'align.wav')));
    expect(wav).toMatchObject({ sampleRate: RATE, channels: 2 });
    const [left, right] = deinterleave(wav.samples, 2) as [Int16Array, Int16Array];
    const at = (ms: number) => Math.round((ms * RATE) / 1000);
    expect(left[at(10)]).toBe(100);
    expect(left[at(30)]).toBe(0);
    expect(left[at(50)]).toBe(200);
    expect(left[at(70)]).toBe(0);
    expect(right[at(50)]).toBe(0);
    expect(right[at(60)]).toBe(300);
    expect(right[at(99)]).toBe(300);
    expect(right[at(110)]).toBe(400);
    expect(right[at(130)]).toBe(0);
  });

  it('drops agent audio cut by barge-in and audio still queued when the call ends', async () => {
    const t = clock();
    const rec = await DualChannelRecorder.open(join(dir, 'barge.wav'), { sampleRate: RATE, clock: t.now, flushIntervalMs: 0, lagMs: 0 });
    rec.writeAgent(frame(500, 8000));     // one second queued at 0 ms
    t.advance(300);
    rec.truncateAgent();                  // the caller heard 300 ms
    rec.writeAgent(frame(600, 8000));     // a new response plays from 300 ms
    t.advance(200);                       // hang-up at 500 ms: 800 ms of it never played
    await rec.close();
    const [, right] = deinterleave(readWav(readFileSync(join(dir, 'barge.wav'))).samples, 2) as [Int16Array, Int16Array];
    expect(right.length).toBe(4000);
    expect(right[2399]).toBe(500);
    expect(right[2400]).toBe(600);
    expect(right[3999]).toBe(600);
  });

  it('patches the header at every flush, so a crash leaves a readable file up to the last flush', async () => {
    const t = clock();
    const path = join(dir, 'crash.wav');
    const rec = await DualChannelRecorder.open(path, { sampleRate: RATE, clock: t.now, flushIntervalMs: 0, lagMs: 100 });
    for (let i = 0; i < 50; i++) { rec.writeCaller(frame(i + 1), i * 20); t.advance(20); } // one second
    await rec.flush();                    // writes up to 1000 − 100 ms lag
    const afterFlush = readFileSync(path);
    const view = new DataView(afterFlush.buffer, afterFlush.byteOffset);
    expect(view.getUint32(40, true)).toBe(900 * 8 * 4); // data size in the header, not 0
    expect(view.getUint32(4, true)).toBe(36 + 900 * 8 * 4);
    for (let i = 50; i < 60; i++) { rec.writeCaller(frame(i + 1), i * 20); t.advance(20); }
    // "Crash": the process dies without close(). What is on disk is a valid WAV of the first 900 ms.
    const wav = readWav(readFileSync(path));
    const [left] = deinterleave(wav.samples, 2) as [Int16Array];
    expect(left.length).toBe(7200);
    expect(left[0]).toBe(1);
    expect(left[7199]).toBe(45);
    expect(statSync(path).size).toBe(44 + 7200 * 4);
    await rec.close();
    expect(readWav(readFileSync(path)).samples.length).toBe(2 * 1200 * 8);
  });

  it('flushes on its own timer at least every second', async () => {
    const path = join(dir, 'timer.wav');
    const rec = await DualChannelRecorder.open(path, { sampleRate: RATE, flushIntervalMs: 50, lagMs: 0 });
    rec.writeCaller(frame(7), 0);
    await new Promise((r) => setTimeout(r, 150));
    expect(statSync(path).size).toBeGreaterThan(44);
    await rec.close();
  });
});
