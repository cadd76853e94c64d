/** Intents and slots in one caller input, for the step that listens. */
import type { FlowDefinition } from '../../contracts/flows.js';
import { matchIntent, type IntentCandidate, type IntentMatch } from './intents.js';
import { parseSlot, parseSlotDtmf, type PartialWhen, type SlotValue } from './slots.js';
import { words } from './text.js';

export interface Listening {
  intents?: readonly string[] | undefined;
  slot?: string | undefined;
  capture?: readonly string[] | undefined;
}

export interface Recognition {
  intent?: IntentMatch;
  slots: Record<string, SlotValue>;
  partial: Record<string, PartialWhen>;
  lowConfidence?: boolean;
}

export interface RecognizeContext {
  language: string;
  now: number;
  timeZone: string;
  partial: Readonly<Record<string, PartialWhen>>;
}

/** The phrases and keywords of the named intents in one language (the flow's first language as fallback). */
export function intentCandidates(flow: FlowDefinition, names: readonly string[], language: string): IntentCandidate[] {
  const fallback = flow.languages[0] ?? language;
  return names.flatMap((name) => {
    const intent = flow.intents[name];
    if (!intent) return [];
    const keywords = intent.keywords?.[language] ?? intent.keywords?.[fallback];
    return [{ name, phrases: intent.phrases[language] ?? intent.phrases[fallback] ?? [], ...(keywords ? { keywords } : {}) }];
  });
}

export function recognizeText(flow: FlowDefinition, listening: Listening, text: string, confidence: number | undefined, ctx: RecognizeContext): Recognition {
  const out: Recognition = { slots: {}, partial: {} };
  if (confidence !== undefined && confidence < flow.settings.minConfidence) return { ...out, lowConfidence: true };
  const all = words(text);
  if (all.length === 0) return out;
  if (listening.intents?.length) {
    const match = matchIntent(all, intentCandidates(flow, listening.intents, ctx.language), flow.settings.intentThreshold);
    if (match) out.intent = match;
  }
  const names = [...(listening.slot ? [listening.slot] : []), ...(listening.capture ?? []).filter((n) => n !== listening.slot)];
  for (const name of names) {
    const slot = flow.slots[name];
    // Free text is only taken when it is what the step asks for, never picked up on the side.
    if (!slot || (slot.type === 'text' && name !== listening.slot)) continue;
    const parsed = parseSlot(slot, all, text, { now: ctx.now, timeZone: ctx.timeZone, ...(ctx.partial[name] ? { partial: ctx.partial[name] } : {}) });
    if (parsed.ok) out.slots[name] = parsed.value;
    else if (parsed.partial) out.partial[name] = parsed.partial;
  }
  return out;
}

/** Keypad input: the step's slot when it takes digits, else the n-th intent for key n. */
export function recognizeDtmf(flow: FlowDefinition, listening: Listening, digits: string): Recognition {
  const out: Recognition = { slots: {}, partial: {} };
  const slot = listening.slot ? flow.slots[listening.slot] : undefined;
  if (slot && listening.slot) {
    const parsed = parseSlotDtmf(slot, digits);
    if (parsed.ok) {
      out.slots[listening.slot] = parsed.value;
      return out;
    }
  }
  const key = digits.replace(/[#*]/g, '');
  const index = /^[1-9]$/.test(key) ? Number(key) - 1 : -1;
  const intent = listening.intents?.[index];
  if (intent) out.intent = { intent, score: 1, phrase: `dtmf ${key}` };
  return out;
}
