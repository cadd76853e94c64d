import { describe, expect, it } from 'vitest';
import { PlaybackTracker } from './playback.js';

describe('PlaybackTracker (marks only)', () => {
  it('advances played to the position of each echoed mark', () => {
    const t = new PlaybackTracker({ clockModel: false });
    t.sent(800);
    t.marked('a', true);
    t.sent(800);
    t.marked('b', false);
    expect(t.snapshot()).toEqual({ sentMs: 200, playedMs: 0 });
    expect(t.echoed('a')).toBe('internal');
    expect(t.snapshot()).toEqual({ sentMs: 200, playedMs: 100 });
    expect(t.echoed('b')).toBe('user');
    expect(t.snapshot()).toEqual({ sentMs: 200, playedMs: 200 });
    expect(t.echoed('b')).toBe('unknown');
  });

  it('on clear drops the unheard part, reports pending marks, and recognises their late echoes', () => {
    const t = new PlaybackTracker({ clockModel: false });
    t.sent(1600);
    t.marked('p1', true);
    t.sent(8000);
    t.marked('p2', true);
    t.marked('end', false);
    t.echoed('p1');
    expect(t.clear()).toEqual({ droppedBytes: 8000, pendingUserMarks: ['end'] });
    expect(t.snapshot()).toEqual({ sentMs: 200, playedMs: 200 });
    expect(t.echoed('p2')).toBe('cleared');
    expect(t.echoed('end')).toBe('cleared');
    expect(t.echoed('end')).toBe('unknown');
    t.sent(400);
    t.marked('next', false);
    expect(t.echoed('next')).toBe('user');
    expect(t.snapshot()).toEqual({ sentMs: 250, playedMs: 250 });
  });

  it('treats earlier pending marks as echoed when a later one comes back', () => {
    const t = new PlaybackTracker({ clockModel: false });
    t.sent(80); t.marked('x', false);
    t.sent(80); t.marked('y', false);
    expect(t.echoed('y')).toBe('user');
    expect(t.pendingMarks).toBe(0);
    expect(t.snapshot().playedMs).toBe(20);
  });
});

describe('PlaybackTracker (clock model)', () => {
  it('plays queued audio in real time, and marks win when ahead', () => {
    let now = 1000;
    const t = new PlaybackTracker({ clock: () => now });
    t.sent(8 * 500);
    t.marked('m', false);
    now += 120;
    expect(t.snapshot()).toEqual({ sentMs: 500, playedMs: 120 });
    now += 1000;
    expect(t.snapshot()).toEqual({ sentMs: 500, playedMs: 500 });
    // A new run starts when the queue has run dry.
    t.sent(8 * 100);
    now += 40;
    expect(t.snapshot()).toEqual({ sentMs: 600, playedMs: 540 });
    expect(t.echoed('m')).toBe('user');
    expect(t.snapshot().playedMs).toBe(540);
  });

  it('clear drops what the clock says is still queued; afterwards sent equals played', () => {
    let now = 0;
    const t = new PlaybackTracker({ clock: () => now });
    t.sent(8 * 2000);
    now += 300;
    expect(t.clear().droppedBytes).toBe(8 * 1700);
    expect(t.snapshot()).toEqual({ sentMs: 300, playedMs: 300 });
    now += 1000;
    expect(t.snapshot()).toEqual({ sentMs: 300, playedMs: 300 });
  });
});
