import { describe, expect, it } from 'vitest';
import { PlaybackLedger } from '../../../src/telephony/playback.js';
import { ReorderBuffer } from '../../../src/telephony/telnyx/reorder.js';

function buffer(window: number) {
  const out: number[] = [];
  const buf = new ReorderBuffer<number>((item) => out.push(item), window);
  return { buf, out, push: (...seqs: number[]) => seqs.map((s) => buf.push(s, s)) };
}

describe('ReorderBuffer', () => {
  it('passes in-order chunks straight through', () => {
    const { out, push, buf } = buffer(3);
    push(1, 2, 3);
    expect(out).toEqual([1, 2, 3]);
    expect(buf.pending).toBe(0);
  });

  it('holds chunks behind a gap until it fills', () => {
    const { out, push } = buffer(3);
    push(2, 3, 1, 5, 4);
    expect(out).toEqual([1, 2, 3, 4, 5]);
  });

  it('skips a gap when the window is full and drops the late chunk', () => {
    const { out, push, buf } = buffer(2);
    expect(push(1, 3, 4, 5, 2)).toEqual(['ok', 'ok', 'ok', 'ok', 'late']);
    expect(out).toEqual([1, 3, 4, 5]);
    expect(buf.stats).toMatchObject({ emitted: 4, lost: 1, late: 1 });
  });

  it('drops duplicates, waiting or already emitted', () => {
    const { out, push, buf } = buffer(3);
    expect(push(1, 1, 3, 3)).toEqual(['ok', 'late', 'ok', 'duplicate']);
    buf.flush();
    expect(out).toEqual([1, 3]);
    expect(buf.stats).toMatchObject({ duplicates: 1, late: 1, lost: 1 });
  });

  it('accepts a stream starting at 0, or higher without counting the start as lost', () => {
    const zero = buffer(3);
    zero.push(0, 1, 2);
    expect(zero.out).toEqual([0, 1, 2]);
    const high = buffer(2);
    high.push(100, 101, 102, 103);
    expect(high.out).toEqual([100, 101, 102, 103]);
    expect(high.buf.stats.lost).toBe(0);
  });
});

describe('PlaybackLedger', () => {
  it('models playback in real time and takes echoed marks as facts when ahead', () => {
    let t = 0;
    const l = new PlaybackLedger(() => t);
    l.queued(100);
    l.markSent('a');
    l.queued(60);
    l.markSent('b');
    expect(l.snapshot()).toEqual({ sentMs: 160, playedMs: 0 });
    t = 50;
    expect(l.snapshot().playedMs).toBe(50);
    expect(l.echoed('a')).toBe('played');
    expect(l.snapshot().playedMs).toBe(100); // the mark is ahead of the clock
    expect(l.echoed('nope')).toBe('unknown');
    t = 500;
    expect(l.snapshot()).toEqual({ sentMs: 160, playedMs: 160 }); // never beyond what was sent
    // A new run starts when the queue had run dry.
    l.queued(100);
    t = 550;
    expect(l.snapshot()).toEqual({ sentMs: 260, playedMs: 210 });
  });

  it('clear() drops what was not heard, makes sent = played, and reports pending marks once', () => {
    let t = 1000;
    const l = new PlaybackLedger(() => t);
    l.queued(2000);
    l.markSent('end');
    t = 1300;
    expect(l.clear()).toEqual({ droppedMs: 1700, pendingMarks: ['end'] });
    expect(l.snapshot()).toEqual({ sentMs: 300, playedMs: 300 });
    expect(l.echoed('end')).toBe('cleared'); // the carrier echoes it after the clear: not news
    expect(l.echoed('end')).toBe('unknown');
    l.queued(200);
    l.markSent('next');
    t = 1400;
    expect(l.snapshot()).toEqual({ sentMs: 500, playedMs: 400 });
    expect(l.echoed('next')).toBe('played');
    expect(l.snapshot()).toEqual({ sentMs: 500, playedMs: 500 });
  });

  it('takes echoes out of order without moving playback backwards', () => {
    const l = new PlaybackLedger(() => 0);
    l.queued(100);
    l.markSent('a');
    l.queued(100);
    l.markSent('b');
    expect(l.echoed('b')).toBe('played');
    expect(l.echoed('a')).toBe('played');
    expect(l.echoed('a')).toBe('unknown');
    expect(l.snapshot()).toEqual({ sentMs: 200, playedMs: 200 });
    expect(l.clear()).toEqual({ droppedMs: 0, pendingMarks: [] });
  });
});
