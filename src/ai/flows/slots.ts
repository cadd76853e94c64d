/** Slot values from what the caller said or keyed: numbers, digit strings, yes/no, dates, times, free text. */
import type { FlowSlot } from '../../contracts/flows.js';
import { parseWhen } from './datetime.js';
import { findDigits, findNumber } from './numbers.js';
import { parseYesNo, yesNoFromDtmf } from './yes-no.js';
import { addDays, civilAt, formatDate, parseDate, zonedEpoch, zonedIso, type CivilDate } from './zone.js';

/** What a slot holds: numbers, strings (digits, dates "YYYY-MM-DD", times "HH:MM", ISO date-times), booleans, or JSON. */
export type SlotValue = string | number | boolean | null | SlotValue[] | { [key: string]: SlotValue };

/** Half of a date-time heard so far ("tomorrow" without a time). */
export interface PartialWhen { date?: string; time?: string }

export interface SlotContext {
  now: number;
  timeZone: string;
  partial?: PartialWhen;
}

export type SlotParse = { ok: true; value: SlotValue } | { ok: false; partial?: PartialWhen };

const NO: SlotParse = { ok: false };
const pad = (n: number) => String(n).padStart(2, '0');

function digitsFit(slot: Extract<FlowSlot, { type: 'digits' }>, digits: string): boolean {
  if (digits.length === 0) return false;
  if (slot.length !== undefined) return digits.length === slot.length;
  return digits.length >= (slot.minLength ?? 1) && digits.length <= (slot.maxLength ?? 32);
}

function numberFits(slot: Extract<FlowSlot, { type: 'number' }>, value: number): boolean {
  return (slot.min === undefined || value >= slot.min) && (slot.max === undefined || value <= slot.max);
}

/** Parses one slot from an utterance (`all` = `words(text)`, `text` = as recognised). */
export function parseSlot(slot: FlowSlot, all: readonly string[], text: string, ctx: SlotContext): SlotParse {
  switch (slot.type) {
    case 'number': {
      const found = findNumber(all);
      return found && numberFits(slot, found.value) ? { ok: true, value: found.value } : NO;
    }
    case 'digits': {
      const digits = findDigits(all);
      return digitsFit(slot, digits) ? { ok: true, value: digits } : NO;
    }
    case 'yes_no': {
      const value = parseYesNo(all);
      return value === undefined ? NO : { ok: true, value };
    }
    case 'date': {
      const when = parseWhen(all, ctx.now, ctx.timeZone);
      return when.date ? { ok: true, value: formatDate(when.date) } : NO;
    }
    case 'time': {
      const when = parseWhen(all, ctx.now, ctx.timeZone, { bareHour: true });
      return when.time ? { ok: true, value: `${pad(when.time.hour)}:${pad(when.time.minute)}` } : NO;
    }
    case 'datetime': {
      const when = parseWhen(all, ctx.now, ctx.timeZone, { bareHour: true });
      const date = when.date ? formatDate(when.date) : ctx.partial?.date;
      const time = when.time ? `${pad(when.time.hour)}:${pad(when.time.minute)}` : ctx.partial?.time;
      if (!when.date && !when.time) return NO;
      if (time && date) return { ok: true, value: combine(parseDate(date)!, time, ctx.timeZone) };
      if (time) return { ok: true, value: combine(nextDateFor(time, ctx), time, ctx.timeZone) };
      return { ok: false, partial: { ...(date ? { date } : {}) } };
    }
    case 'text': {
      const trimmed = text.trim().replace(/\s+/g, ' ');
      return trimmed ? { ok: true, value: trimmed.slice(0, slot.maxLength) } : NO;
    }
    case 'json':
      return NO;
  }
}

/** Parses one slot from keypad digits (`#` and `*` dropped); yes/no takes 1 and 2. */
export function parseSlotDtmf(slot: FlowSlot, keyed: string): SlotParse {
  const digits = keyed.replace(/[#*]/g, '');
  switch (slot.type) {
    case 'digits': return digitsFit(slot, digits) ? { ok: true, value: digits } : NO;
    case 'number': {
      const value = Number(digits);
      return digits && numberFits(slot, value) ? { ok: true, value } : NO;
    }
    case 'yes_no': {
      const value = yesNoFromDtmf(digits);
      return value === undefined ? NO : { ok: true, value };
    }
    default: return NO;
  }
}

function combine(date: CivilDate, time: string, timeZone: string): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return zonedIso(date, h, m, timeZone);
}

/** A time alone means today if it is still ahead, else tomorrow. */
function nextDateFor(time: string, ctx: SlotContext): CivilDate {
  const today = civilAt(ctx.now, ctx.timeZone);
  const [h, m] = time.split(':').map(Number) as [number, number];
  return zonedEpoch(today, h, m, ctx.timeZone) > ctx.now ? today : addDays(today, 1);
}

