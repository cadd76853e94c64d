import { describe, expect, it } from 'vitest';
import { PlaybackLedger } from './playback.js';

describe('playback ledger', () => {
  it('models real-time playback from when audio was queued on an idle line', () => {
    let now = 0;
    const t = new PlaybackLedger(() => now);
    t.queued(1000);
    now = 400;
    expect(t.snapshot()).toEqual({ sentMs: 1000, playedMs: 400 });
    t.queued(500); // appended to the queue: the run goes on
    now = 1700;
    expect(t.snapshot()).toEqual({ sentMs: 1500, playedMs: 1500 });
    now = 5000;
    t.queued(200); // the line was idle: a new run starts now
    now = 5100;
    expect(t.played()).toBe(1600);
  });

  it('takes marks and client reports as facts, and clears to what was heard', () => {
    let now = 0;
    const t = new PlaybackLedger(() => now, false);
    t.queued(300); t.markSent('a'); t.queued(300); t.markSent('b');
    expect(t.played()).toBe(0);
    expect(t.echoed('a')).toBe('played');
    expect(t.echoed('nope')).toBe('unknown');
    expect(t.played()).toBe(300);
    t.report(450);
    expect(t.clear()).toEqual({ droppedMs: 150, pendingMarks: ['b'] });
    expect(t.snapshot()).toEqual({ sentMs: 450, playedMs: 450 });
    now = 10_000;
    t.report(99_999); // never beyond what was sent
    expect(t.played()).toBe(450);
  });
});
