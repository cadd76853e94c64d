/**
 * The flow engine: pure and deterministic. Given the flow, the state and one input, it returns the next state and
 * the actions to carry out (say, listen, tool, transfer, end, llm). No I/O, no timers; the clock is injected.
 */
import type { FlowDefinition, FlowStepOf, LocalizedText } from '../../contracts/flows.js';
import { holds } from './conditions.js';
import { expectation, listeningExpectation, type FlowExpectation } from './expectation.js';
import { recognizeDtmf, recognizeText, type Listening, type Recognition } from './recognize.js';
import { flowPhrase } from './phrases.js';
import type { SlotValue } from './slots.js';
import { renderSpoken, renderValue, type RenderContext } from './template.js';
import type { FlowAction, FlowInput, FlowState, FlowTurn, Heard, TranscriptLine } from './types.js';
import { FlowInvalidError, validateFlow } from './validate.js';

/** Steps entered in one turn without waiting for anything: more means a loop (say → branch → say …). */
const MAX_HOPS = 100;
const MAX_TRANSCRIPT = 40;

export interface FlowRunnerOptions {
  /** Epoch ms "now" for dates and times ("tomorrow"); default Date.now. */
  now?: () => number;
  /** IANA zone for dates and times; default the flow's `timeZone`. */
  timeZone?: string;
}

/** One turn's work: the state being changed and the actions produced. */
class Work {
  readonly actions: FlowAction[] = [];
  hops = 0;
  heard: Heard | undefined;
  constructor(readonly state: FlowState) {}

  agent(text: string): void { this.line('agent', text); }
  caller(text: string): void { this.line('caller', text); }

  private line(speaker: 'agent' | 'caller', text: string): void {
    if (!text) return;
    this.state.transcript.push({ speaker, text });
    if (this.state.transcript.length > MAX_TRANSCRIPT) this.state.transcript.splice(0, this.state.transcript.length - MAX_TRANSCRIPT);
  }

  result(): FlowTurn {
    return { state: this.state, actions: this.actions, ...(this.heard ? { heard: this.heard } : {}) };
  }
}

export class FlowRunner {
  readonly flow: FlowDefinition;
  private readonly now: () => number;
  private readonly timeZone: string;

  constructor(flow: FlowDefinition, options: FlowRunnerOptions = {}) {
    this.flow = flow;
    this.now = options.now ?? Date.now;
    this.timeZone = options.timeZone ?? flow.timeZone;
  }

  /** A runner for a definition that passes `validateFlow`; throws `FlowInvalidError` (with the errors) otherwise. */
  static from(definition: unknown, options: FlowRunnerOptions = {}): FlowRunner {
    const result = validateFlow(definition);
    if (!result.flow || !result.valid) throw new FlowInvalidError(result.errors);
    return new FlowRunner(result.flow, options);
  }

  /** The flow's language closest to `wanted` ("en" finds "en-US"), else its first. */
  language(wanted?: string): string {
    const languages = this.flow.languages;
    if (!wanted) return languages[0]!;
    const lower = wanted.toLowerCase();
    return languages.find((l) => l.toLowerCase() === lower)
      ?? languages.find((l) => l.toLowerCase().split('-')[0] === lower.split('-')[0])
      ?? languages[0]!;
  }

  /**
   * Starts the flow at its start step. `slots` pre-fills what is already known (caller id, campaign data);
   * `transcript` is the conversation before this one (the contact's web chat before a call), for `llm` steps.
   */
  start(options: { language?: string; slots?: Record<string, SlotValue>; transcript?: TranscriptLine[] } = {}): FlowTurn {
    const work = new Work({
      v: 1, flowId: this.flow.id, language: this.language(options.language), step: this.flow.start, waiting: null, ended: null,
      slots: { ...options.slots }, partial: {}, attempts: 0, intent: null, turns: 0, toolCallId: null,
      transcript: (options.transcript ?? []).slice(-MAX_TRANSCRIPT), seq: 0,
    });
    this.enter(work, this.flow.start);
    return work.result();
  }

  /**
   * Continues a conversation another channel left waiting for the caller (a widget chat going on as a call): its
   * step, slots and transcript, the step asked again after the flow's `resumed` phrase in the conversation's
   * language ("Picking up from our chat."). An `llm`
   * step repeats the agent's last words. `transcript` replaces the state's (the whole conversation across
   * channels). Null when `state` cannot go on here (another flow, ended, busy, a step this version no longer
   * has): start the flow instead.
   */
  resume(state: FlowState, options: { transcript?: TranscriptLine[] } = {}): FlowTurn | null {
    if (state.v !== 1 || state.flowId !== this.flow.id || state.ended || state.waiting !== 'input') return null;
    const step = this.flow.steps[state.step];
    if (step?.type !== 'ask' && step?.type !== 'llm') return null;
    const work = new Work(structuredClone(state));
    const s = work.state;
    if (options.transcript) s.transcript = options.transcript.slice(-MAX_TRANSCRIPT);
    const again = step.type === 'ask'
      ? renderSpoken(step.prompt, this.renderContext(s))
      : [...s.transcript].reverse().find((l) => l.speaker === 'agent')?.text ?? '';
    const spoken = [flowPhrase(this.flow, s.language, 'resumed'), again].filter(Boolean).join(' ');
    if (spoken) {
      work.actions.push({ type: 'say', step: s.step, text: spoken, interruptible: step.type === 'ask' ? step.interruptible : true });
      work.agent(spoken);
    }
    if (step.type === 'ask') {
      s.attempts = 0;
      this.listen(work, listeningExpectation(this.flow, s.step, step, s.language, false), step.timeoutMs);
    } else {
      this.listen(work, listeningExpectation(this.flow, s.step, { intents: step.intents, capture: step.capture }, s.language, true));
    }
    return work.result();
  }

  /** Takes one input in `state` (not changed) and answers the next state and actions. */
  advance(state: FlowState, input: FlowInput): FlowTurn {
    const work = new Work(structuredClone(state));
    if (work.state.ended) return work.result();
    const step = this.flow.steps[work.state.step];
    switch (input.type) {
      case 'text':
      case 'dtmf':
      case 'no_input':
        if (input.type === 'text') work.caller(input.text.trim());
        if (input.type === 'dtmf') work.caller(`(keyed ${input.digits})`);
        if (work.state.waiting !== 'input') break; // the caller spoke while a tool or the model was busy
        if (step?.type === 'ask') this.answerAsk(work, step, input);
        else if (step?.type === 'llm') this.answerLlm(work, step, input);
        break;
      case 'tool_result':
        if (work.state.waiting === 'tool' && step?.type === 'tool' && input.callId === work.state.toolCallId) {
          work.state.waiting = null;
          work.state.toolCallId = null;
          if (input.ok && step.result) work.state.slots[step.result] = toSlotValue(input.result);
          this.enter(work, input.ok ? step.next : step.onError ?? step.next);
        }
        break;
      case 'llm_reply':
        if (work.state.waiting === 'llm' && step?.type === 'llm') {
          work.agent(input.text.trim());
          if (input.unavailable) {
            work.state.waiting = null;
            this.enter(work, step.next);
            break;
          }
          work.state.waiting = 'input';
          this.listen(work, listeningExpectation(this.flow, work.state.step, { intents: step.intents, capture: step.capture }, work.state.language, true));
        }
        break;
    }
    return work.result();
  }

  /** What the current step listens for (null unless waiting for the caller); feeds the speech grammar. */
  expectation(state: FlowState): FlowExpectation | null {
    return expectation(this.flow, state);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Entering steps

  private enter(work: Work, first: string): void {
    let id: string | null = first;
    while (id !== null) {
      if (++work.hops > MAX_HOPS) return this.finish(work, 'loop_detected');
      const step = this.flow.steps[id];
      work.state.step = id;
      if (!step) return this.finish(work, 'unknown_step');
      id = this.run(work, id, step);
    }
  }

  /** Runs a step on entry; answers the step to continue with, or null when the flow now waits or has ended. */
  private run(work: Work, id: string, step: FlowDefinition['steps'][string]): string | null {
    const s = work.state;
    switch (step.type) {
      case 'say':
        this.clear(work, step.clear);
        this.say(work, id, step.text, step.interruptible);
        return step.next;
      case 'ask':
        this.clear(work, step.clear);
        s.attempts = 0;
        if (step.slot && isFilled(s.slots[step.slot])) return step.next;
        this.say(work, id, step.prompt, step.interruptible);
        s.waiting = 'input';
        this.listen(work, listeningExpectation(this.flow, id, step, s.language, false), step.timeoutMs);
        return null;
      case 'branch':
        return step.cases.find((c) => holds(c.when, { intent: s.intent, slots: s.slots }))?.next ?? step.else;
      case 'tool': {
        const ctx = this.renderContext(s);
        const args = Object.fromEntries(Object.entries(step.arguments).map(([k, v]) => [k, renderValue(v, ctx)]));
        if (step.say) this.say(work, id, step.say, true);
        const callId = `${id}-${++s.seq}`;
        const webhook = this.flow.tools[step.tool];
        work.actions.push({ type: 'tool', step: id, callId, name: step.tool, arguments: args, ...(webhook ? { webhook } : {}) });
        s.waiting = 'tool';
        s.toolCallId = callId;
        return null;
      }
      case 'transfer': {
        if (step.say) this.say(work, id, step.say, false);
        const summary = step.summary ? renderSpoken(step.summary, this.renderContext(s)) : this.defaultSummary(s);
        work.actions.push({ type: 'transfer', step: id, to: step.to, summary });
        s.ended = { reason: 'transferred', transferTo: step.to };
        s.waiting = null;
        return null;
      }
      case 'end':
        if (step.text) this.say(work, id, step.text, true);
        this.finish(work, step.reason ?? 'completed');
        return null;
      case 'llm':
        this.clear(work, step.clear);
        s.turns = 0;
        this.askModel(work, id, step);
        return null;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Answers

  private answerAsk(work: Work, step: FlowStepOf<'ask'>, input: Extract<FlowInput, { type: 'text' | 'dtmf' | 'no_input' }>): void {
    const s = work.state;
    const heard = this.recognize(work, step, input);
    if (step.intents?.length) s.intent = heard.intent?.intent ?? null;
    const matched = Boolean((step.intents?.length && heard.intent) || (step.slot && heard.slots[step.slot] !== undefined));
    work.heard = { ...(heard.intent ? { intent: heard.intent } : {}), slots: heard.slots, matched, ...(heard.lowConfidence ? { lowConfidence: true } : {}) };
    if (matched) {
      s.waiting = null;
      s.attempts = 0;
      this.enter(work, step.next);
      return;
    }
    s.attempts++;
    if (s.attempts >= step.maxAttempts) {
      s.waiting = null;
      this.enter(work, step.onNoMatch);
      return;
    }
    const reprompt = input.type === 'no_input' && step.noInput ? step.noInput
      : step.reprompts?.[Math.min(s.attempts, step.reprompts.length) - 1] ?? step.prompt;
    this.say(work, s.step, reprompt, step.interruptible);
    this.listen(work, listeningExpectation(this.flow, s.step, step, s.language, false), step.timeoutMs);
  }

  private answerLlm(work: Work, step: FlowStepOf<'llm'>, input: Extract<FlowInput, { type: 'text' | 'dtmf' | 'no_input' }>): void {
    const s = work.state;
    const heard = this.recognize(work, { intents: step.intents, capture: step.capture }, input);
    if (step.intents?.length && heard.intent) s.intent = heard.intent.intent;
    s.turns++;
    const done = (step.until !== undefined && holds(step.until, { intent: s.intent, slots: s.slots })) || s.turns >= step.maxTurns;
    work.heard = { ...(heard.intent ? { intent: heard.intent } : {}), slots: heard.slots, matched: done };
    if (done) {
      s.waiting = null;
      this.enter(work, step.next);
    } else {
      this.askModel(work, s.step, step);
    }
  }

  /** Recognises the input and stores what it filled (the step's slot and any captured ones). */
  private recognize(work: Work, listening: Listening, input: Extract<FlowInput, { type: 'text' | 'dtmf' | 'no_input' }>): Recognition {
    const s = work.state;
    if (input.type === 'no_input') return { slots: {}, partial: {} };
    const heard = input.type === 'dtmf'
      ? recognizeDtmf(this.flow, listening, input.digits)
      : recognizeText(this.flow, listening, input.text, input.confidence, { language: s.language, now: this.now(), timeZone: this.timeZone, partial: s.partial });
    for (const [name, value] of Object.entries(heard.slots)) {
      s.slots[name] = value;
      delete s.partial[name];
    }
    Object.assign(s.partial, heard.partial);
    return heard;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Actions

  private say(work: Work, step: string, text: LocalizedText, interruptible: boolean): void {
    const spoken = renderSpoken(text, this.renderContext(work.state));
    if (!spoken) return;
    work.actions.push({ type: 'say', step, text: spoken, interruptible });
    work.agent(spoken);
  }

  private listen(work: Work, e: FlowExpectation, timeoutMs?: number): void {
    work.actions.push({ type: 'listen', step: e.step, expectation: e, timeoutMs: timeoutMs ?? this.flow.settings.noInputTimeoutMs });
  }

  private askModel(work: Work, id: string, step: FlowStepOf<'llm'>): void {
    const s = work.state;
    const ctx = this.renderContext(s);
    const instructions = [this.flow.instructions, step.instructions].filter((t): t is LocalizedText => t !== undefined)
      .map((t) => renderSpoken(t, ctx)).join('\n\n');
    const apologies = { noModel: flowPhrase(this.flow, s.language, 'noModel'), modelFailed: flowPhrase(this.flow, s.language, 'modelFailed') };
    work.actions.push({ type: 'llm', step: id, instructions, slots: structuredClone(s.slots), transcript: structuredClone(s.transcript), tools: step.tools ?? [], apologies });
    s.waiting = 'llm';
  }

  private finish(work: Work, reason: string): void {
    work.actions.push({ type: 'end', step: work.state.step, reason });
    work.state.ended = { reason };
    work.state.waiting = null;
  }

  private clear(work: Work, names: readonly string[] | undefined): void {
    for (const name of names ?? []) {
      delete work.state.slots[name];
      delete work.state.partial[name];
    }
  }

  private renderContext(s: FlowState): RenderContext {
    return { slots: s.slots, slotTypes: this.flow.slots, language: s.language, timeZone: this.timeZone };
  }

  /** What a human taking over needs: the intent, what was collected, and the caller's last words. */
  private defaultSummary(s: FlowState): string {
    const parts: string[] = [];
    if (s.intent) parts.push(`Caller intent: ${s.intent.replaceAll('_', ' ')}.`);
    const ctx = this.renderContext(s);
    const collected = Object.entries(s.slots).filter(([name, v]) => isFilled(v) && this.flow.slots[name]?.type !== 'json')
      .map(([name]) => `${name.replaceAll('_', ' ')}: ${renderSpoken({ [s.language]: `{{${name}}}` }, ctx)}`);
    if (collected.length) parts.push(`${collected.join(', ')}.`);
    const last = [...s.transcript].reverse().find((l) => l.speaker === 'caller' && !l.text.startsWith('(keyed'));
    if (last) parts.push(`They said: "${last.text}"`);
    return parts.join(' ') || 'Transferred from the automated flow.';
  }
}

function isFilled(value: SlotValue | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** A tool result as JSON data (functions, undefined and other non-JSON values dropped). */
function toSlotValue(result: unknown): SlotValue {
  if (result === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(result)) as SlotValue;
  } catch {
    return String(result);
  }
}
