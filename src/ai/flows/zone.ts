/** Civil dates and times in an IANA time zone, with Intl only (no I/O, no global state). */

export interface CivilDate { year: number; month: number; day: number }
export interface CivilNow extends CivilDate { hour: number; minute: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `epochMs`. */
export function civilAt(epochMs: number, timeZone: string): CivilNow & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const date = { year: parts['year']!, month: parts['month']!, day: parts['day']! };
  return { ...date, hour: parts['hour']! % 24, minute: parts['minute']!, second: parts['second']!, weekday: weekdayOf(date) };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CivilDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function isValidDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDate(date: CivilDate): string {
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

export function parseDate(text: string): CivilDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}

export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Offset of `timeZone` from UTC at `epochMs`, in minutes (e.g. -300 for New York in winter). */
function offsetMinutes(epochMs: number, timeZone: string): number {
  const c = civilAt(epochMs, timeZone);
  const asUtc = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** The instant of a wall-clock time in `timeZone` (the earlier one when a DST change repeats it). */
export function zonedEpoch(date: CivilDate, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  let epoch = guess - offsetMinutes(guess, timeZone) * 60_000;
  epoch = guess - offsetMinutes(epoch, timeZone) * 60_000;
  return epoch;
}

/** ISO 8601 with the zone's offset: "2025-01-16T10:00:00-05:00". */
export function zonedIso(date: CivilDate, hour: number, minute: number, timeZone: string): string {
  const epoch = zonedEpoch(date, hour, minute, timeZone);
  const offset = offsetMinutes(epoch, timeZone);
  const c = civilAt(epoch, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${formatDate(c)}T${pad(c.hour)}:${pad(c.minute)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
