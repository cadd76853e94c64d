/** `{{slot}}` and `{{slot.field}}` placeholders: spoken forms for prompts, raw values for tool arguments. */
import type { FlowSlot, LocalizedText } from '../../contracts/flows.js';
import type { SlotValue } from './slots.js';
import { parseDate } from './zone.js';

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

export interface RenderContext {
  slots: Readonly<Record<string, SlotValue>>;
  slotTypes: Readonly<Record<string, FlowSlot>>;
  language: string;
  timeZone: string;
}

/** The slot names a text refers to (for validation). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

function lookup(ctx: RenderContext, name: string, path: string): SlotValue | undefined {
  let value: SlotValue | undefined = ctx.slots[name];
  for (const key of path.split('.').filter(Boolean)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Array.isArray(value) ? value[Number(key)] : value[key];
  }
  return value;
}

/**
 * The text in the language (falling back to the first language given), placeholders spoken. A sentence whose
 * placeholder has no value is left out ("Account number {{account}}." when no account was given).
 */
export function renderSpoken(text: LocalizedText, ctx: RenderContext): string {
  const template = text[ctx.language] ?? Object.values(text)[0] ?? '';
  return template.split(/(?<=[.!?])\s+/).map((sentence) => {
    let missing = false;
    const rendered = sentence.replace(PLACEHOLDER, (_all, name: string, path: string) => {
      const value = lookup(ctx, name, path);
      if (value === undefined || value === null || value === '') {
        missing = true;
        return '';
      }
      return spoken(value, path ? undefined : ctx.slotTypes[name], ctx);
    });
    return missing ? '' : rendered;
  }).filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
}

/** A tool argument: a lone "{{slot}}" keeps the slot's type; mixed text becomes a string. */
export function renderValue(value: string | number | boolean, ctx: RenderContext): SlotValue {
  if (typeof value !== 'string') return value;
  const lone = /^\{\{\s*([a-z][a-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)\s*\}\}$/.exec(value);
  if (lone) return lookup(ctx, lone[1]!, lone[2] ?? '') ?? null;
  return value.replace(PLACEHOLDER, (_all, name: string, path: string) => {
    const v = lookup(ctx, name, path);
    return v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

function spoken(value: SlotValue, slot: FlowSlot | undefined, ctx: RenderContext): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return JSON.stringify(value);
  switch (slot?.type) {
    case 'digits': return value.split('').join(' '); // read digit by digit, not as one big number
    case 'date': return spokenDate(value, ctx);
    case 'time': return spokenTime(value, ctx);
    case 'datetime': return `${spokenDate(value, ctx)} ${ctx.language.startsWith('en') ? 'at ' : ''}${spokenTime(value.slice(11, 16), ctx)}`;
    default: return value;
  }
}

function spokenDate(value: string, ctx: RenderContext): string {
  const date = parseDate(value);
  if (!date) return value;
  // Noon UTC of that civil day: the same day in every zone the formatter could use.
  const at = new Date(Date.UTC(date.year, date.month - 1, date.day, 12));
  return new Intl.DateTimeFormat(ctx.language, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(at);
}

function spokenTime(value: string, ctx: RenderContext): string {
  const m = /^(\d{2}):(\d{2})/.exec(value);
  if (!m) return value;
  const [hour, minute] = [Number(m[1]), Number(m[2])];
  const at = new Date(Date.UTC(2000, 0, 1, hour, minute));
  const options: Intl.DateTimeFormatOptions = { hour: 'numeric', timeZone: 'UTC', ...(minute ? { minute: '2-digit' } : {}) };
  return new Intl.DateTimeFormat(ctx.language, options).format(at).replace(/\u202f/g, ' ');
}
