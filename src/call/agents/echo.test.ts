import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeLeg } from '../../../test/support/fake-leg.js';
import { MemoryJournal } from '../../../test/support/memory-journal.js';
import { deinterleave, mulawToPcm16, pcm16ToMulaw, readWav, whiteNoise } from '../../media/index.js';
import { PCM16_16K } from '../leg.js';
import { DualChannelRecorder } from '../recording/recorder.js';
import { RecordingTap } from '../recording/tap.js';
import { CallSession } from '../session.js';
import { EchoAgent } from './echo.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-echo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('echo agent', () => {
  it('sends every caller frame straight back, byte for byte, and records both sides', async () => {
    const leg = new FakeLeg();
    const journal = new MemoryJournal();
    let now = 0;
    const recorder = await DualChannelRecorder.open(join(dir, 'echo.wav'), { sampleRate: 8000, clock: () => now, flushIntervalMs: 0, lagMs: 0 });
    const session = new CallSession({ callId: 'c', tenantId: 't', state: 'ringing', leg, agent: new EchoAgent(), journal, tap: new RecordingTap(recorder, leg.inputFormat, leg.outputFormat) });
    await session.start();
    const tone = pcm16ToMulaw(whiteNoise(8000, 0.2));
    for (let i = 0; i < 50; i++) {
      now += 20; // a frame's media time is its start; it arrives once it is complete
      leg.say(tone.subarray(i * 160, (i + 1) * 160), i * 20);
    }
    expect(leg.sent).toHaveLength(50);
    expect(Buffer.compare(Buffer.from(leg.sentAudio()), Buffer.from(tone))).toBe(0);
    leg.drop();
    await session.end('completed', 'x', 'caller');
    expect(journal.recordings[0]).toMatchObject({ durationMs: 1000 });
    const [left, right] = deinterleave(readWav(readFileSync(join(dir, 'echo.wav'))).samples, 2) as [Int16Array, Int16Array];
    const decoded = mulawToPcm16(tone);
    // Caller left as sent; the echo right, played the moment each frame had arrived: one frame (20 ms) later.
    // The last echo would play after the hang-up, so it is not part of the call.
    expect(left.length).toBe(8000);
    expect(Array.from(left)).toEqual(Array.from(decoded));
    expect(Array.from(right.subarray(160))).toEqual(Array.from(decoded.subarray(0, 7840)));
    expect(right.subarray(0, 160).every((s) => s === 0)).toBe(true);
  });

  it('converts when the leg plays another format than it delivers', async () => {
    const leg = new FakeLeg('f', PCM16_16K, { encoding: 'mulaw', sampleRate: 8000 });
    const session = new CallSession({ callId: 'c', tenantId: 't', state: 'ringing', leg, agent: new EchoAgent(), journal: new MemoryJournal(), tap: null });
    await session.start();
    leg.say(new Uint8Array(640), 0);
    expect(leg.sent[0]!.length).toBe(160);
  });
});
