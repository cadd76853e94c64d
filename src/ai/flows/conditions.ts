/** Branch conditions: every part given must hold. */
import type { FlowCondition, FlowScalar } from '../../contracts/flows.js';
import type { SlotValue } from './slots.js';

export interface ConditionFacts {
  intent: string | null;
  slots: Readonly<Record<string, SlotValue>>;
}

const same = (a: SlotValue, b: FlowScalar) => (typeof a === 'object' && a !== null ? false : String(a) === String(b));

export function holds(condition: FlowCondition, facts: ConditionFacts): boolean {
  if (condition.intent !== undefined) {
    const wanted = Array.isArray(condition.intent) ? condition.intent : [condition.intent];
    if (facts.intent === null || !wanted.includes(facts.intent)) return false;
  }
  if (condition.slot === undefined) return true;
  const value = facts.slots[condition.slot];
  const filled = value !== undefined && value !== null;
  if (condition.filled !== undefined && condition.filled !== filled) return false;
  const compares = [condition.equals, condition.in, condition.gt, condition.gte, condition.lt, condition.lte].some((v) => v !== undefined);
  if (!compares) return condition.filled !== undefined || filled;
  if (!filled) return false;
  if (condition.equals !== undefined && !same(value, condition.equals)) return false;
  if (condition.in !== undefined && !condition.in.some((v) => same(value, v))) return false;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (condition.gt !== undefined && !(n > condition.gt)) return false;
  if (condition.gte !== undefined && !(n >= condition.gte)) return false;
  if (condition.lt !== undefined && !(n < condition.lt)) return false;
  if (condition.lte !== undefined && !(n <= condition.lte)) return false;
  return true;
}
