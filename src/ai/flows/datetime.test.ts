import { describe, expect, it } from 'vitest';
import type { FlowSlot } from '../../contracts/flows.js';
import { parseSlot } from './slots.js';
import { words } from './text.js';

// Wednesday 15 January 2025, 09:00 in New York (14:00 UTC).
const NOW = Date.UTC(2025, 0, 15, 14, 0);
const ZONE = 'America/New_York';
const parse = (type: FlowSlot['type'], text: string, now = NOW, timeZone = ZONE) =>
  parseSlot({ type } as FlowSlot, words(text), text, { now, timeZone });

describe('date-time slots', () => {
  it.each([
    ['tomorrow at ten', '2025-01-16T10:00:00-05:00'],
    ['monday at two thirty p m', '2025-01-20T14:30:00-05:00'],
    ['Monday at 2:30 PM', '2025-01-20T14:30:00-05:00'],
    ['at 10:30', '2025-01-15T10:30:00-05:00'],
    ['at eight', '2025-01-16T08:00:00-05:00'], // 8 am has passed today
    ['today at 3', '2025-01-15T15:00:00-05:00'],
    ['tomorrow at 10am', '2025-01-16T10:00:00-05:00'],
    ['the day after tomorrow at noon', '2025-01-17T12:00:00-05:00'],
    ['friday at half past three', '2025-01-17T15:30:00-05:00'],
    ['next tuesday at quarter to eleven', '2025-01-21T10:45:00-05:00'],
    ['wednesday at nine', '2025-01-22T09:00:00-05:00'], // today is Wednesday: the next one
    ['tomorrow morning at ten thirty', '2025-01-16T10:30:00-05:00'],
    ['tomorrow at seven in the evening', '2025-01-16T19:00:00-05:00'],
    ['tomorrow at 7 in the morning', '2025-01-16T07:00:00-05:00'],
    ['I would like to book an appointment tomorrow at ten', '2025-01-16T10:00:00-05:00'],
    ['march third at eleven', '2025-03-03T11:00:00-05:00'],
    ['the 3rd of march at 4 pm', '2025-03-03T16:00:00-05:00'],
    ['july fourth at one', '2025-07-04T13:00:00-04:00'], // summer time
    ['tonight at eight', '2025-01-15T20:00:00-05:00'],
    ['tomorrow at ten oh five', '2025-01-16T10:05:00-05:00'],
    ['tomorrow at ten forty five', '2025-01-16T10:45:00-05:00'],
    ['tomorrow at 14:00', '2025-01-16T14:00:00-05:00'],
  ])('%s → %s', (text, iso) => {
    expect(parse('datetime', text)).toEqual({ ok: true, value: iso });
  });

  it('keeps a day heard without a time as a partial answer, then completes it', () => {
    const first = parseSlot({ type: 'datetime' }, words('tomorrow'), 'tomorrow', { now: NOW, timeZone: ZONE });
    expect(first).toEqual({ ok: false, partial: { date: '2025-01-16' } });
    const second = parseSlot({ type: 'datetime' }, words('at ten'), 'at ten', { now: NOW, timeZone: ZONE, partial: { date: '2025-01-16' } });
    expect(second).toEqual({ ok: true, value: '2025-01-16T10:00:00-05:00' });
  });

  it('resolves in the given zone', () => {
    expect(parse('datetime', 'tomorrow at ten', NOW, 'Europe/Paris')).toEqual({ ok: true, value: '2025-01-16T10:00:00+01:00' });
    // 23:30 UTC on the 15th is already the 16th in Tokyo.
    expect(parse('date', 'tomorrow', Date.UTC(2025, 0, 15, 23, 30), 'Asia/Tokyo')).toEqual({ ok: true, value: '2025-01-17' });
  });

  it.each([
    ['date', 'tomorrow', '2025-01-16'],
    ['date', 'on friday', '2025-01-17'],
    ['date', 'the twentieth', '2025-01-20'],
    ['date', 'the tenth', '2025-02-10'], // passed this month
    ['date', '2025-02-01', '2025-02-01'],
    ['time', 'ten thirty', '10:30'],
    ['time', 'two p m', '14:00'],
    ['time', 'at 10:30', '10:30'],
    ['time', 'half past four', '16:30'],
    ['time', 'midnight', '00:00'],
    ['time', 'twelve a m', '00:00'],
    ['time', "ten o'clock", '10:00'],
    ['time', 'twenty past nine', '09:20'],
  ] as const)('%s: %s → %s', (type, text, value) => {
    expect(parse(type, text)).toEqual({ ok: true, value });
  });

  it.each([['datetime', 'I want an appointment'], ['time', 'tomorrow'], ['date', 'at ten'], ['time', 'no idea']] as const)('%s: %s → nothing', (type, text) => {
    expect(parse(type, text).ok).toBe(false);
  });
});
