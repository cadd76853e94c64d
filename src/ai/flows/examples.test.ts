import { describe, expect, it } from 'vitest';
import { checkJsgf } from '../local/asr/jsgf-check.js';
import { buildGrammar, loadDictionary } from '../local/grammar.js';
import { EXAMPLE_FLOWS } from './examples/index.js';
import { listeningExpectation, toGrammarExpectation } from './expectation.js';
import { FlowRunner } from './runner.js';
import type { FlowAction, FlowInput, FlowTurn } from './types.js';
import { validateFlow } from './validate.js';

const NOW = Date.UTC(2025, 0, 15, 14, 0); // Wednesday 15 January 2025, 09:00 in New York
const example = (id: string) => FlowRunner.from(EXAMPLE_FLOWS.find((f) => f.id === id), { now: () => NOW });
const said = (actions: FlowAction[]) => actions.flatMap((a) => (a.type === 'say' ? [a.text] : []));

/** Drives a flow with caller turns; answers each turn's actions. */
function converse(runner: FlowRunner, inputs: (string | FlowInput)[]): FlowTurn[] {
  const turns = [runner.start()];
  for (const input of inputs) {
    turns.push(runner.advance(turns.at(-1)!.state, typeof input === 'string' ? { type: 'text', text: input, confidence: 0.8 } : input));
  }
  return turns;
}

describe('the example flows', () => {
  it.each(EXAMPLE_FLOWS.map((f) => [f.id, f] as const))('%s is valid, without warnings', (_id, flow) => {
    expect(validateFlow(flow)).toMatchObject({ valid: true, errors: [], warnings: [] });
  });

  it('appointment booking: "I would like to book an appointment" → "tomorrow at ten" → "yes"', () => {
    const turns = converse(example('appointment-booking'), ['I would like to book an appointment', 'tomorrow at ten', 'yes']);
    expect(said(turns[0]!.actions)).toEqual(['Hello, thanks for calling. This is the automated booking line.', 'How can I help you today? You can say: I would like to book an appointment.']);
    expect(turns[0]!.actions[0]).toMatchObject({ interruptible: false });
    expect(turns[1]!.heard?.intent).toMatchObject({ intent: 'book', score: 0.95 });
    expect(said(turns[1]!.actions)).toEqual(['What day and time would suit you? For example: tomorrow at ten.']);
    expect(said(turns[2]!.actions)).toEqual(['I have you down for Thursday, January 16 at 10 AM. Shall I book it?']);
    const last = turns[3]!;
    expect(said(last.actions)).toEqual(['You are booked for Thursday, January 16 at 10 AM. We look forward to seeing you.', 'Thank you for calling. Goodbye.']);
    expect(last.actions.at(-1)).toEqual({ type: 'end', step: 'goodbye', reason: 'booked' });
    expect(last.state.slots).toEqual({ when: '2025-01-16T10:00:00-05:00', confirmed: true });
  });

  it('appointment booking in one breath: read back, and silence books it', () => {
    const turns = converse(example('appointment-booking'), ['I would like to book an appointment tomorrow at ten', { type: 'no_input' }]);
    expect(said(turns[1]!.actions)).toEqual(['Booked for Thursday, January 16 at 10 AM. If that is wrong, say change.']);
    expect(turns[1]!.actions.at(-1)).toMatchObject({ type: 'listen', timeoutMs: 3000 });
    expect(said(turns[2]!.actions)).toEqual(['Thank you for calling. Goodbye.']);
    expect(turns[2]!.state.ended?.reason).toBe('booked');
    expect(turns[2]!.state.slots).toEqual({ when: '2025-01-16T10:00:00-05:00' });
  });

  it('appointment booking in one breath, with a change of mind', () => {
    const turns = converse(example('appointment-booking'), ['I would like to book an appointment tomorrow at ten', 'change', 'friday at two thirty p m', 'yes']);
    expect(said(turns[1]!.actions)).toEqual(['Booked for Thursday, January 16 at 10 AM. If that is wrong, say change.']);
    expect(said(turns[2]!.actions)).toEqual(['No problem. What day and time would you prefer instead?']);
    expect(said(turns[3]!.actions)).toEqual(['I have you down for Friday, January 17 at 2:30 PM. Shall I book it?']);
    expect(turns[4]!.state.ended?.reason).toBe('booked');
    expect(turns[4]!.state.slots).toEqual({ when: '2025-01-17T14:30:00-05:00', confirmed: true });
  });

  it('appointment booking: "no" or "that is wrong" after the read-back asks again; anything else keeps the booking', () => {
    for (const answer of ['no', 'that is wrong']) {
      const turns = converse(example('appointment-booking'), ['book an appointment tomorrow at ten', answer]);
      expect(turns[2]!.state.step).toBe('change_when');
    }
    const kept = converse(example('appointment-booking'), ['book an appointment tomorrow at ten', 'thanks']);
    expect(kept[2]!.state.ended?.reason).toBe('booked');
  });

  it('appointment booking hands over to a person when asked', () => {
    const turns = converse(example('appointment-booking'), ['can I speak to a person']);
    expect(turns[1]!.actions.at(-1)).toMatchObject({ type: 'transfer', to: 'queue:front_desk' });
  });

  it('order status: order number → lookup → status read back', () => {
    const runner = example('order-status');
    const turns = converse(runner, ['it is one two three four']);
    const tool = turns[1]!.actions.find((a) => a.type === 'tool');
    expect(said(turns[1]!.actions)).toEqual(['One moment while I look up order 1 2 3 4.']);
    expect(tool).toMatchObject({ name: 'lookup_order', arguments: { order_number: '1234' }, webhook: { method: 'POST', timeoutMs: 4000 } });
    const done = runner.advance(turns[1]!.state, { type: 'tool_result', callId: (tool as { callId: string }).callId, ok: true, result: { status: 'shipped', detail: 'It arrives on Friday.' } });
    expect(said(done.actions)).toEqual(['Order 1 2 3 4 is shipped. It arrives on Friday.', 'Thank you for calling. Goodbye.']);
    expect(done.state.ended?.reason).toBe('answered');
  });

  it('order status: keyed digits, and a failing lookup', () => {
    const runner = example('order-status');
    const turns = converse(runner, [{ type: 'dtmf', digits: '98765#' }]);
    const tool = turns[1]!.actions.find((a) => a.type === 'tool') as { callId: string };
    const failed = runner.advance(turns[1]!.state, { type: 'tool_result', callId: tool.callId, ok: false, error: 'lookup_order timed out after 4000 ms' });
    expect(failed.state.ended?.reason).toBe('lookup_failed');
  });

  it('billing support: refund → account number → transfer with a summary', () => {
    const turns = converse(example('billing-support'), ['I want a refund', 'five five five one two three']);
    expect(turns[2]!.actions.slice(-2)).toEqual([
      { type: 'say', step: 'to_refunds', text: 'Thank you. I am transferring you to our refunds team now.', interruptible: false },
      { type: 'transfer', step: 'to_refunds', to: 'queue:billing_refunds', summary: 'Refund request. Account number 5 5 5 1 2 3.' },
    ]);
  });

  it('billing support: a dispute without an account number still reaches the disputes team', () => {
    const turns = converse(example('billing-support'), ['I want to dispute a charge', 'I do not know it', { type: 'no_input' }]);
    expect(turns[3]!.actions.at(-1)).toEqual({ type: 'transfer', step: 'to_disputes', to: 'queue:billing_disputes', summary: 'Disputed charge.' });
  });

  it('billing support: "speak to a person" goes straight to the billing team', () => {
    const turns = converse(example('billing-support'), ['speak to a person']);
    expect(turns[1]!.actions.at(-1)).toMatchObject({ type: 'transfer', to: 'queue:billing', summary: expect.stringContaining('Caller intent: agent.') });
  });
});

describe('the example flows on the local recognizer', () => {
  const dictionary = loadDictionary();
  const steps = EXAMPLE_FLOWS.flatMap((input) => {
    const flow = validateFlow(input).flow!;
    return Object.entries(flow.steps).flatMap(([id, step]) => (step.type === 'ask' ? [[`${flow.id}/${id}`, flow, id, step] as const] : []));
  });

  it.each(steps)('%s builds a grammar of dictionary words only', (_name, flow, id, step) => {
    const grammar = buildGrammar(toGrammarExpectation(listeningExpectation(flow, id, step, 'en-US', false))!, { dictionary });
    expect(checkJsgf(grammar.jsgf)).toBeUndefined();
    expect(grammar.unknownWords).toEqual([]);
    expect(grammar.droppedPhrases).toEqual([]);
  });

  it('understands what the grammar lets callers say', () => {
    const flow = validateFlow(EXAMPLE_FLOWS[0]).flow!;
    const e = listeningExpectation(flow, 'ask_when', { slot: 'when' }, 'en-US', false);
    const grammar = buildGrammar(toGrammarExpectation(e)!, { dictionary });
    expect(grammar.interpret('tomorrow at ten')).toMatchObject({ kind: 'datetime', day: 'tomorrow', time: { hour: 10, minute: 0 } });
  });
});
