/**
 * What the current step listens for, in a shape the local recognizer's grammar generator takes as is
 * (`buildGrammar(expectation)` from src/ai/local/grammar.ts): intents' phrases, yes/no, digits, numbers, days, times.
 */
import type { FlowDefinition, FlowSlot, SlotType } from '../../contracts/flows.js';
import type { StepExpectation } from '../local/grammar.js';
import { intentCandidates, type Listening } from './recognize.js';
import type { FlowState } from './types.js';

export interface FlowExpectation extends StepExpectation {
  step: string;
  language: string;
  /** The slot the answer fills. */
  slot?: { name: string; type: SlotType };
  /** Free speech may come (a text slot, an llm turn): open dictation, or the grammar with dictation as fallback. */
  dictation: boolean;
  /** Keys that answer: the digits of a digits/number slot, 1/2 for yes/no, 1…n for the intents in order. */
  dtmf: { minDigits: number; maxDigits: number } | null;
}

function addSlot(e: FlowExpectation, slot: FlowSlot, name: string): void {
  switch (slot.type) {
    case 'number': e.number = true; break;
    // The slot's name ("order_number") lets the caller say "my order number is …".
    case 'digits': e.digits = { min: slot.length ?? slot.minLength ?? 1, max: slot.length ?? slot.maxLength ?? 32, name: name.replace(/_/g, ' ') }; break;
    case 'yes_no': e.yesNo = true; break;
    case 'date': e.day = true; break;
    case 'time': e.time = true; break;
    case 'datetime': e.day = true; e.time = true; break;
    case 'text': e.dictation = true; break;
    case 'json': break;
  }
}

/** The expectation of a listening step, in `language`. */
export function listeningExpectation(flow: FlowDefinition, step: string, listening: Listening, language: string, dictation: boolean): FlowExpectation {
  const e: FlowExpectation = { step, language, dictation, dtmf: null, fillers: true };
  if (listening.intents?.length) {
    e.intents = Object.fromEntries(intentCandidates(flow, listening.intents, language)
      .map((c) => [c.name, [...c.phrases, ...(c.keywords ?? [])]]));
    if (listening.intents.length <= 9) e.dtmf = { minDigits: 1, maxDigits: 1 };
  }
  const main = listening.slot ? flow.slots[listening.slot] : undefined;
  if (main && listening.slot) {
    e.slot = { name: listening.slot, type: main.type };
    addSlot(e, main, listening.slot);
    if (main.type === 'digits') e.dtmf = { minDigits: main.length ?? main.minLength ?? 1, maxDigits: main.length ?? main.maxLength ?? 32 };
    else if (main.type === 'number') e.dtmf = { minDigits: 1, maxDigits: 12 };
    else if (main.type === 'yes_no') e.dtmf = { minDigits: 1, maxDigits: 1 };
  }
  for (const name of listening.capture ?? []) {
    const slot = flow.slots[name];
    if (slot && slot.type !== 'text') addSlot(e, slot, name);
  }
  return e;
}

/** What the step in `state` listens for, or null when the engine is not waiting for the caller. */
export function expectation(flow: FlowDefinition, state: FlowState): FlowExpectation | null {
  if (state.waiting !== 'input') return null;
  const step = flow.steps[state.step];
  if (step?.type === 'ask') return listeningExpectation(flow, state.step, step, state.language, false);
  if (step?.type === 'llm') return listeningExpectation(flow, state.step, { intents: step.intents, capture: step.capture }, state.language, true);
  return null;
}

/**
 * The grammar part only (for `buildGrammar`), or null when the step expects nothing a grammar can hold (free
 * text only): then the recognizer uses open dictation.
 */
export function toGrammarExpectation(e: FlowExpectation): StepExpectation | null {
  const out: StepExpectation = {};
  if (e.intents && Object.keys(e.intents).length > 0) out.intents = e.intents;
  if (e.yesNo) out.yesNo = true;
  if (e.digits) out.digits = e.digits;
  if (e.number) out.number = true;
  if (e.day) out.day = true;
  if (e.time) out.time = true;
  if (Object.keys(out).length === 0) return null;
  if (e.fillers !== undefined) out.fillers = e.fillers;
  return out;
}
