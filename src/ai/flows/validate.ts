/**
 * Flow checks beyond the schema: targets and the start step exist, referenced slots, intents and tools exist,
 * every text has every language of the flow, no loop without a listening step; unreachable steps are warnings.
 * Every issue carries a JSON path into the definition ("$.steps.confirm.next").
 */
import type { z } from 'zod';
import { flowDefinitionSchema, type FlowCondition, type FlowDefinition, type FlowIssue, type LocalizedText } from '../../contracts/flows.js';
import { BUILT_IN_TOOL_NAMES } from '../tools/builtins.js';
import { placeholders } from './template.js';
import { isTimeZone } from './zone.js';

export interface FlowCheck {
  valid: boolean;
  errors: FlowIssue[];
  warnings: FlowIssue[];
  /** The parsed flow (defaults applied) when the schema accepted it, even with errors. */
  flow?: FlowDefinition;
}

/** A definition that cannot run; `issues` say where and why. */
export class FlowInvalidError extends Error {
  constructor(readonly issues: FlowIssue[]) {
    super(`invalid flow: ${issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'FlowInvalidError';
  }
}

/** "$.steps.greet.text['en-US']" from ["steps", "greet", "text", "en-US"]. */
export function jsonPath(parts: readonly PropertyKey[]): string {
  return parts.reduce<string>((path, part) => {
    if (typeof part === 'number') return `${path}[${part}]`;
    const key = String(part);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
  }, '$');
}

function schemaIssues(error: z.ZodError): FlowIssue[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path), code: `schema.${issue.code}`, message: issue.message }));
}

/** Checks a flow definition (any JSON): the schema first, then the flow checks. */
export function validateFlow(input: unknown): FlowCheck {
  const parsed = flowDefinitionSchema.safeParse(input);
  if (!parsed.success) return { valid: false, errors: schemaIssues(parsed.error), warnings: [] };
  const flow = parsed.data;
  const errors: FlowIssue[] = [];
  const warnings: FlowIssue[] = [];
  const error = (path: PropertyKey[], code: string, message: string) => errors.push({ path: jsonPath(path), code, message });
  const warn = (path: PropertyKey[], code: string, message: string) => warnings.push({ path: jsonPath(path), code, message });

  const steps = flow.steps;
  const target = (path: PropertyKey[], id: string) => {
    if (!(id in steps)) error(path, 'unknown_step', `no step named ${id}`);
  };
  const slotRef = (path: PropertyKey[], name: string) => {
    if (!(name in flow.slots)) error(path, 'unknown_slot', `no slot named ${name}`);
  };
  const intentRef = (path: PropertyKey[], name: string) => {
    if (!(name in flow.intents)) error(path, 'unknown_intent', `no intent named ${name}`);
  };
  const toolRef = (path: PropertyKey[], name: string) => {
    if (!(name in flow.tools) && !BUILT_IN_TOOL_NAMES.includes(name)) {
      error(path, 'unknown_tool', `no tool named ${name} (built in: ${BUILT_IN_TOOL_NAMES.join(', ')}; or declare it in tools)`);
    }
  };
  const text = (path: PropertyKey[], value: LocalizedText | undefined) => {
    if (!value) return;
    for (const language of flow.languages) if (!value[language]) error([...path], 'missing_language', `no ${language} text`);
    for (const [language, t] of Object.entries(value)) {
      if (!flow.languages.includes(language)) warn([...path, language], 'unused_language', `${language} is not one of the flow's languages`);
      for (const name of placeholders(t)) slotRef([...path, language], name);
    }
  };
  const condition = (path: PropertyKey[], c: FlowCondition) => {
    for (const name of [c.intent ?? []].flat()) intentRef([...path, 'intent'], name);
    if (c.slot === undefined) return;
    slotRef([...path, 'slot'], c.slot);
    const type = flow.slots[c.slot]?.type;
    const numeric = [c.gt, c.gte, c.lt, c.lte].some((v) => v !== undefined);
    if (numeric && type !== undefined && type !== 'number' && type !== 'digits') {
      warn([...path, 'slot'], 'numeric_comparison', `${c.slot} is a ${type} slot; gt/lt compare numbers`);
    }
  };

  if (!isTimeZone(flow.timeZone)) error(['timeZone'], 'invalid_time_zone', `${flow.timeZone} is not an IANA time zone`);
  if (new Set(flow.languages).size !== flow.languages.length) error(['languages'], 'duplicate_language', 'a language is listed twice');
  target(['start'], flow.start);
  text(['instructions'], flow.instructions);
  // The platform's own words: a language the flow leaves out gets the built-in phrase, and they are said as written.
  for (const [key, value] of Object.entries(flow.phrases ?? {})) {
    for (const [language, t] of Object.entries(value ?? {})) {
      const path = ['phrases', key, language];
      if (!flow.languages.includes(language)) warn(path, 'unused_language', `${language} is not one of the flow's languages`);
      if (placeholders(t).length > 0) error(path, 'placeholder_in_phrase', 'phrases are said as written: no {{slot}} placeholders');
    }
  }

  for (const [name, intent] of Object.entries(flow.intents)) {
    for (const language of flow.languages) {
      if (!intent.phrases[language]?.length) error(['intents', name, 'phrases'], 'missing_language', `no ${language} phrases`);
    }
  }
  for (const [name, slot] of Object.entries(flow.slots)) {
    if (slot.type === 'digits' && slot.length !== undefined && (slot.minLength !== undefined || slot.maxLength !== undefined)) {
      error(['slots', name], 'conflicting_length', 'give length or minLength/maxLength, not both');
    }
    if (slot.type === 'digits' && (slot.minLength ?? 1) > (slot.maxLength ?? 32)) error(['slots', name], 'empty_range', 'minLength is above maxLength');
    if (slot.type === 'number' && slot.min !== undefined && slot.max !== undefined && slot.min > slot.max) error(['slots', name], 'empty_range', 'min is above max');
  }

  for (const [id, step] of Object.entries(steps)) {
    const at = (...rest: PropertyKey[]) => ['steps', id, ...rest];
    if ('clear' in step) step.clear?.forEach((name, i) => slotRef(at('clear', i), name));
    switch (step.type) {
      case 'say':
        text(at('text'), step.text);
        target(at('next'), step.next);
        break;
      case 'ask':
        text(at('prompt'), step.prompt);
        step.reprompts?.forEach((r, i) => text(at('reprompts', i), r));
        text(at('noInput'), step.noInput);
        step.intents?.forEach((name, i) => intentRef(at('intents', i), name));
        if (step.slot) {
          slotRef(at('slot'), step.slot);
          if (flow.slots[step.slot]?.type === 'json') error(at('slot'), 'unaskable_slot', `${step.slot} is a json slot: only tools fill it`);
        }
        step.capture?.forEach((name, i) => slotRef(at('capture', i), name));
        if (!step.intents?.length && !step.slot) error(at(), 'nothing_expected', 'an ask needs intents, a slot, or both');
        target(at('next'), step.next);
        target(at('onNoMatch'), step.onNoMatch);
        break;
      case 'branch':
        step.cases.forEach((c, i) => {
          condition(at('cases', i, 'when'), c.when);
          target(at('cases', i, 'next'), c.next);
        });
        target(at('else'), step.else);
        break;
      case 'tool':
        toolRef(at('tool'), step.tool);
        for (const [arg, value] of Object.entries(step.arguments)) {
          if (typeof value === 'string') for (const name of placeholders(value)) slotRef(at('arguments', arg), name);
        }
        if (step.result) slotRef(at('result'), step.result);
        text(at('say'), step.say);
        target(at('next'), step.next);
        if (step.onError) target(at('onError'), step.onError);
        break;
      case 'transfer':
        text(at('say'), step.say);
        text(at('summary'), step.summary);
        break;
      case 'end':
        text(at('text'), step.text);
        break;
      case 'llm':
        text(at('instructions'), step.instructions);
        step.intents?.forEach((name, i) => intentRef(at('intents', i), name));
        step.capture?.forEach((name, i) => slotRef(at('capture', i), name));
        step.tools?.forEach((name, i) => toolRef(at('tools', i), name));
        if (step.until) condition(at('until'), step.until);
        target(at('next'), step.next);
        break;
    }
  }

  for (const id of unreachable(flow)) warn(['steps', id], 'unreachable_step', `no path from ${flow.start} reaches ${id}`);
  const loop = silentLoop(flow);
  if (loop) error(['steps', loop[0]!], 'loop_without_input', `${loop.join(' → ')} loops without listening to the caller`);

  return { valid: errors.length === 0, errors, warnings, flow };
}

/** The steps a step can go to. */
export function successors(step: FlowDefinition['steps'][string]): string[] {
  switch (step.type) {
    case 'say': return [step.next];
    case 'ask': return [step.next, step.onNoMatch];
    case 'branch': return [...step.cases.map((c) => c.next), step.else];
    case 'tool': return [step.next, ...(step.onError ? [step.onError] : [])];
    case 'llm': return [step.next];
    case 'transfer':
    case 'end': return [];
  }
}

function unreachable(flow: FlowDefinition): string[] {
  const seen = new Set<string>();
  const queue = [flow.start];
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id) || !flow.steps[id]) continue;
    seen.add(id);
    queue.push(...successors(flow.steps[id]!));
  }
  return Object.keys(flow.steps).filter((id) => !seen.has(id));
}

/** A cycle through say and branch steps only (nothing in it waits for the caller, a tool or the model). */
function silentLoop(flow: FlowDefinition): string[] | undefined {
  const silent = (id: string) => ['say', 'branch'].includes(flow.steps[id]?.type ?? '');
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const next of successors(flow.steps[id]!)) {
      if (!silent(next)) continue;
      const loop = visit(next);
      if (loop) return loop;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of Object.keys(flow.steps)) {
    if (!silent(id)) continue;
    const loop = visit(id);
    if (loop) return loop;
  }
  return undefined;
}
