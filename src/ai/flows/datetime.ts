/**
 * Days and clock times as callers say them ("tomorrow at ten", "monday at two thirty p m", "at 10:30",
 * "the third of march", "half past four"), resolved against a clock and an IANA time zone. Input: `words()`.
 */
import { findNumber, ordinalAt, smallNumber, UNITS } from './numbers.js';
import { addDays, civilAt, isValidDate, type CivilDate } from './zone.js';

export interface ClockTime { hour: number; minute: number }
export interface SpokenWhen { date?: CivilDate; time?: ClockTime }

const WEEKDAYS: Record<string, number> = {
  sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6,
  sun: 0, mon: 1, tue: 2, tues: 2, wed: 3, thu: 4, thur: 4, thurs: 4, fri: 5, sat: 6,
};
const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12, jan: 1, feb: 2, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const DAY_LEADS = new Set(['this', 'next', 'on', 'coming', 'the']);
const TIME_LEADS = new Set(['at', 'around', 'about', 'by', 'before', 'after', 'from']);

type Period = 'am' | 'pm';

export interface WhenOptions {
  /** A bare number ("ten") may be an hour: the step expects a time. */
  bareHour?: boolean;
}

/** Finds a day and/or a time in the words; either may be missing. */
export function parseWhen(all: readonly string[], now: number, timeZone: string, options: WhenOptions = {}): SpokenWhen {
  const today = civilAt(now, timeZone);
  const used = new Set<number>();
  const mark = (from: number, count: number) => { for (let k = from; k < from + count; k++) used.add(k); };
  let period: Period | undefined;
  let date: CivilDate | undefined;

  for (let i = 0; i < all.length && !date; i++) {
    const w = all[i]!;
    if (w === 'day' && all[i + 1] === 'after' && all[i + 2] === 'tomorrow') { date = addDays(today, 2); mark(i, 3); }
    else if (w === 'today') { date = today; mark(i, 1); }
    else if (w === 'tonight') { date = today; period = 'pm'; mark(i, 1); }
    else if (w === 'tomorrow') { date = addDays(today, 1); mark(i, 1); }
    else if (w in WEEKDAYS) {
      const lead = all[i - 1];
      let delta = (WEEKDAYS[w]! - today.weekday + 7) % 7;
      if (delta === 0 && lead !== 'this') delta = 7;
      date = addDays(today, delta);
      mark(i, 1);
      if (lead !== undefined && DAY_LEADS.has(lead)) used.add(i - 1);
      // "monday the third" keeps the weekday; the ordinal is dropped so it is not read as an hour.
      if (all[i + 1] === 'the' && ordinalAt(all, i + 2)) mark(i + 1, 1 + ordinalAt(all, i + 2)!.used);
    } else {
      const found = monthDay(all, i, today);
      if (found) { date = found.date; mark(found.start, found.used); }
    }
  }

  for (let i = 0; i < all.length; i++) {
    if (used.has(i)) continue;
    const w = all[i]!;
    if (w === 'morning') { period = 'am'; used.add(i); }
    else if (w === 'afternoon' || w === 'evening' || w === 'night') { period = 'pm'; used.add(i); }
    if (used.has(i) && (all[i - 1] === 'in' || all[i - 1] === 'this' || all[i - 1] === 'the' || all[i - 1] === 'at')) used.add(i - 1);
    if (used.has(i) && all[i - 2] === 'in' && all[i - 1] === 'the') used.add(i - 2);
  }

  // A time with a lead word, minutes or a meridiem wins over a bare number ("one at ten" → ten).
  const time = findTime(all, used, period, false) ?? (options.bareHour ? findTime(all, used, period, true) : undefined);
  return { ...(date ? { date } : {}), ...(time ? { time } : {}) };
}

/** "march third", "march 3", "3rd of march", "the fifteenth", "3/15", "2025-03-15". */
function monthDay(all: readonly string[], i: number, today: CivilDate): { date: CivilDate; start: number; used: number } | undefined {
  const w = all[i]!;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(w);
  if (iso) {
    const [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    return isValidDate(y, m, d) ? { date: { year: y, month: m, day: d }, start: i, used: 1 } : undefined;
  }
  const slash = /^(\d{1,2})\/(\d{1,2})$/.exec(w);
  if (slash) return upcoming(Number(slash[1]), Number(slash[2]), today, i, 1);
  if (w in MONTHS) {
    const ordinal = ordinalAt(all, all[i + 1] === 'the' ? i + 2 : i + 1);
    const skip = all[i + 1] === 'the' ? 1 : 0;
    if (ordinal) return upcoming(MONTHS[w]!, ordinal.value, today, i, 1 + skip + ordinal.used);
    const n = all[i + 1] !== undefined ? smallNumber(all[i + 1]!) : undefined;
    if (n !== undefined && (w !== 'may' || /^\d+$/.test(all[i + 1]!) || n <= 31)) return upcoming(MONTHS[w]!, n, today, i, 2);
    return undefined;
  }
  const lead = w === 'the' ? 1 : 0;
  const ordinal = ordinalAt(all, i + lead);
  if (ordinal) {
    const after = i + lead + ordinal.used;
    const month = all[after] === 'of' ? all[after + 1] : all[after];
    if (month !== undefined && month in MONTHS) return upcoming(MONTHS[month]!, ordinal.value, today, i, after - i + (all[after] === 'of' ? 2 : 1));
    if (lead) {
      // "the fifteenth": this month, or next month once it has passed.
      const month = ordinal.value >= today.day ? today.month : today.month + 1;
      const year = month > 12 ? today.year + 1 : today.year;
      const m = month > 12 ? 1 : month;
      return isValidDate(year, m, ordinal.value) ? { date: { year, month: m, day: ordinal.value }, start: i, used: after - i } : undefined;
    }
  }
  return undefined;
}

/** The next time month/day comes round (this year, or next year once it has passed). */
function upcoming(month: number, day: number, today: CivilDate, start: number, used: number) {
  let year = today.year;
  if (month < today.month || (month === today.month && day < today.day)) year++;
  return isValidDate(year, month, day) ? { date: { year, month, day }, start, used } : undefined;
}

function findTime(all: readonly string[], used: Set<number>, period: Period | undefined, bareHour: boolean): ClockTime | undefined {
  for (let i = 0; i < all.length; i++) {
    if (used.has(i)) continue;
    const w = all[i]!;
    if (w === 'noon' || w === 'midday') return { hour: 12, minute: 0 };
    if (w === 'midnight') return { hour: 0, minute: 0 };
    const colon = /^(\d{1,2})[:.](\d{2})$/.exec(w);
    if (colon && (w.includes(':') || TIME_LEADS.has(all[i - 1] ?? ''))) {
      const hour = Number(colon[1]);
      const minute = Number(colon[2]);
      if (hour <= 23 && minute <= 59) return withMeridiem(hour, minute, meridiemAt(all, i + 1) ?? period);
    }
    // "half past three", "quarter to four", "twenty past ten"
    const relative = relativeTime(all, i);
    if (relative) return withMeridiem(relative.hour, relative.minute, meridiemAt(all, relative.end) ?? period);

    const hour = hourWord(w);
    if (hour === undefined) continue;
    let k = i + 1;
    let minute = 0;
    let explicit = false;
    if (all[k] === 'oclock') { k++; explicit = true; }
    else if (all[k] === 'oh' && all[k + 1] !== undefined && all[k + 1]! in UNITS) { minute = UNITS[all[k + 1]!]!; k += 2; explicit = true; }
    else {
      const m = minutesAt(all, k);
      if (m) { minute = m.value; k = m.end; explicit = true; }
    }
    const meridiem = meridiemAt(all, k);
    if (meridiem) explicit = true;
    const lead = TIME_LEADS.has(all[i - 1] ?? '');
    if (!lead && !explicit && !bareHour) continue;
    if (hour > 12 && meridiem) continue;
    return withMeridiem(hour, minute, meridiem ?? period);
  }
  return undefined;
}

function hourWord(w: string): number | undefined {
  if (/^\d{1,2}$/.test(w)) {
    const n = Number(w);
    return n <= 23 ? n : undefined;
  }
  const n = smallNumber(w);
  return n !== undefined && n >= 1 && n <= 12 ? n : undefined;
}

/** Minutes after an hour: "thirty", "forty five", "15". */
function minutesAt(all: readonly string[], k: number): { value: number; end: number } | undefined {
  const w = all[k];
  if (w === undefined) return undefined;
  if (/^\d{2}$/.test(w)) return Number(w) <= 59 ? { value: Number(w), end: k + 1 } : undefined;
  if (w in UNITS) return undefined; // "ten two" is not a time
  const found = findNumber(all.slice(k, k + 2));
  if (!found || found.start !== 0 || found.value < 10 || found.value > 59 || !Number.isInteger(found.value)) return undefined;
  return { value: found.value, end: k + found.end };
}

function relativeTime(all: readonly string[], i: number): (ClockTime & { end: number }) | undefined {
  let minutes: number | undefined;
  let k = i;
  if (all[i] === 'half') { minutes = 30; k = i + 1; }
  else if (all[i] === 'quarter') { minutes = 15; k = i + 1; }
  else if (all[i] === 'a' && all[i + 1] === 'quarter') { minutes = 15; k = i + 2; }
  else {
    const m = minutesAt(all, i) ?? (all[i] !== undefined && smallNumber(all[i]!) !== undefined && smallNumber(all[i]!)! <= 9 && smallNumber(all[i]!)! >= 1
      ? { value: smallNumber(all[i]!)!, end: i + 1 } : undefined);
    if (!m) return undefined;
    minutes = m.value;
    k = m.end;
    if (all[k] === 'minutes' || all[k] === 'minute') k++;
  }
  const direction = all[k];
  if (direction !== 'past' && direction !== 'after' && direction !== 'to' && direction !== 'before') return undefined;
  if ((direction === 'after' || direction === 'before') && all[i] !== 'half' && all[i] !== 'quarter' && !all[k - 1]?.startsWith('minute')) return undefined;
  const hour = all[k + 1] !== undefined ? hourWord(all[k + 1]!) : undefined;
  if (hour === undefined || hour > 12) return undefined;
  if (direction === 'past' || direction === 'after') return { hour, minute: minutes, end: k + 2 };
  return { hour: hour === 1 ? 12 : hour - 1, minute: 60 - minutes, end: k + 2 };
}

function meridiemAt(all: readonly string[], k: number): Period | undefined {
  const w = all[k];
  if ((w === 'a' || w === 'p') && all[k + 1] === 'm') return w === 'a' ? 'am' : 'pm';
  if (w === 'am' || w === 'pm') return w;
  return undefined;
}

/**
 * 24-hour time from an hour that may be on a 12-hour clock. Without a meridiem, business hours decide:
 * 8–11 morning, 12 noon, 1–7 afternoon.
 */
function withMeridiem(hour: number, minute: number, meridiem: Period | undefined): ClockTime {
  if (hour > 12 || hour === 0) return { hour, minute };
  if (meridiem === 'am') return { hour: hour === 12 ? 0 : hour, minute };
  if (meridiem === 'pm') return { hour: hour === 12 ? 12 : hour + 12, minute };
  return { hour: hour >= 8 && hour <= 11 ? hour : hour === 12 ? 12 : hour + 12, minute };
}
