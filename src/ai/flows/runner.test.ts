import { describe, expect, it } from 'vitest';
import { flowDefinitionSchema, type FlowDefinitionInput } from '../../contracts/flows.js';
import { FlowRunner } from './runner.js';
import type { FlowAction, FlowState } from './types.js';
import { FlowInvalidError } from './validate.js';

const NOW = Date.UTC(2025, 0, 15, 14, 0); // Wednesday, 09:00 in New York
const en = (text: string) => ({ 'en-US': text });

function runner(def: Partial<FlowDefinitionInput> & Pick<FlowDefinitionInput, 'steps'>): FlowRunner {
  const flow = flowDefinitionSchema.parse({ id: 'test', name: 'Test', languages: ['en-US'], start: Object.keys(def.steps)[0], timeZone: 'America/New_York', ...def });
  return new FlowRunner(flow, { now: () => NOW });
}
const types = (actions: FlowAction[]) => actions.map((a) => a.type);
const said = (actions: FlowAction[]) => actions.flatMap((a) => (a.type === 'say' ? [a.text] : []));

describe('say', () => {
  it('speaks, marks non-interruptible text, goes on', () => {
    const r = runner({ steps: { hi: { type: 'say', text: en('Hello.'), interruptible: false, next: 'bye' }, bye: { type: 'end', text: en('Bye.') } } });
    const turn = r.start();
    expect(turn.actions).toEqual([
      { type: 'say', step: 'hi', text: 'Hello.', interruptible: false },
      { type: 'say', step: 'bye', text: 'Bye.', interruptible: true },
      { type: 'end', step: 'bye', reason: 'completed' },
    ]);
    expect(turn.state.ended).toEqual({ reason: 'completed' });
    expect(turn.state.waiting).toBeNull();
  });
});

describe('ask', () => {
  const ask = () => runner({
    slots: { count: { type: 'number', min: 1, max: 9 } },
    steps: {
      q: { type: 'ask', prompt: en('How many?'), slot: 'count', reprompts: [en('Say a number from one to nine.')], noInput: en('Still there?'), maxAttempts: 3, next: 'ok', onNoMatch: 'fail' },
      ok: { type: 'end', text: en('You said {{count}}.') },
      fail: { type: 'end', text: en('Sorry.'), reason: 'no_match' },
    },
  });

  it('prompts and listens, then fills its slot', () => {
    const r = ask();
    const start = r.start();
    expect(types(start.actions)).toEqual(['say', 'listen']);
    expect(start.state.waiting).toBe('input');
    const listen = start.actions[1] as Extract<FlowAction, { type: 'listen' }>;
    expect(listen.timeoutMs).toBe(8000);
    expect(listen.expectation).toMatchObject({ step: 'q', number: true, slot: { name: 'count', type: 'number' } });
    const done = r.advance(start.state, { type: 'text', text: 'three please', confidence: 0.9 });
    expect(done.heard).toMatchObject({ matched: true, slots: { count: 3 } });
    expect(said(done.actions)).toEqual(['You said 3.']);
    expect(done.state.slots).toEqual({ count: 3 });
  });

  it('reprompts, says the no-input text on silence, and gives up after maxAttempts', () => {
    const r = ask();
    let turn = r.start();
    turn = r.advance(turn.state, { type: 'text', text: 'purple' });
    expect(said(turn.actions)).toEqual(['Say a number from one to nine.']);
    expect(turn.state.attempts).toBe(1);
    turn = r.advance(turn.state, { type: 'no_input' });
    expect(said(turn.actions)).toEqual(['Still there?']);
    turn = r.advance(turn.state, { type: 'text', text: 'twenty' }); // out of range
    expect(said(turn.actions)).toEqual(['Sorry.']);
    expect(turn.state.ended).toEqual({ reason: 'no_match' });
  });

  it('treats low-confidence recognitions as no match', () => {
    const r = ask();
    const turn = r.advance(r.start().state, { type: 'text', text: 'three', confidence: 0.05 });
    expect(turn.heard).toMatchObject({ matched: false, lowConfidence: true });
    expect(turn.state.slots).toEqual({});
  });

  it('takes DTMF for its slot', () => {
    const r = ask();
    const turn = r.advance(r.start().state, { type: 'dtmf', digits: '7' });
    expect(turn.state.slots).toEqual({ count: 7 });
  });

  it('is skipped when its slot is already filled', () => {
    const turn = ask().start({ slots: { count: 4 } });
    expect(said(turn.actions)).toEqual(['You said 4.']);
  });

  it('matches intents, and maps keypad n to the n-th intent', () => {
    const r = runner({
      intents: { sales: { phrases: { 'en-US': ['talk to sales'] } }, support: { phrases: { 'en-US': ['i need support'] } } },
      steps: {
        menu: { type: 'ask', prompt: en('Sales or support?'), intents: ['sales', 'support'], next: 'route', onNoMatch: 'route' },
        route: { type: 'branch', cases: [{ when: { intent: 'support' }, next: 'support' }], else: 'other' },
        support: { type: 'end', reason: 'support' },
        other: { type: 'end', reason: 'other' },
      },
    });
    expect(r.advance(r.start().state, { type: 'text', text: 'I need support please' }).state.ended?.reason).toBe('support');
    expect(r.advance(r.start().state, { type: 'dtmf', digits: '2' }).state.ended?.reason).toBe('support');
    expect(r.advance(r.start().state, { type: 'dtmf', digits: '1' }).state.ended?.reason).toBe('other');
  });
});

describe('branch', () => {
  it('takes the first case that holds, else the else', () => {
    const r = runner({
      slots: { amount: { type: 'number' }, vip: { type: 'yes_no' } },
      steps: {
        b: { type: 'branch', cases: [
          { when: { slot: 'vip', equals: true }, next: 'vip' },
          { when: { slot: 'amount', gt: 100 }, next: 'big' },
          { when: { slot: 'amount', filled: false }, next: 'none' },
        ], else: 'small' },
        vip: { type: 'end', reason: 'vip' }, big: { type: 'end', reason: 'big' }, none: { type: 'end', reason: 'none' }, small: { type: 'end', reason: 'small' },
      },
    });
    expect(r.start({ slots: { vip: true, amount: 500 } }).state.ended?.reason).toBe('vip');
    expect(r.start({ slots: { amount: 500 } }).state.ended?.reason).toBe('big');
    expect(r.start().state.ended?.reason).toBe('none');
    expect(r.start({ slots: { amount: 5 } }).state.ended?.reason).toBe('small');
  });
});

describe('tool', () => {
  const r = () => runner({
    slots: { code: { type: 'digits' }, result: { type: 'json' } },
    tools: { check: { description: 'Check a code', url: 'https://hooks.example.com/check' } },
    steps: {
      t: { type: 'tool', tool: 'check', arguments: { code: '{{code}}', note: 'code {{code}}', fixed: 3 }, result: 'result', say: en('One moment.'), next: 'ok', onError: 'err' },
      ok: { type: 'end', text: en('It is {{result.status}}.') },
      err: { type: 'end', reason: 'tool_failed' },
    },
  });

  it('asks for the call with arguments from slots and waits for its result', () => {
    const start = r().start({ slots: { code: '0042' } });
    expect(start.actions[1]).toEqual({
      type: 'tool', step: 't', callId: 't-1', name: 'check', arguments: { code: '0042', note: 'code 0042', fixed: 3 },
      webhook: { description: 'Check a code', url: 'https://hooks.example.com/check', method: 'POST', parameters: { type: 'object', properties: {} }, timeoutMs: 5000 },
    });
    expect(start.state).toMatchObject({ waiting: 'tool', toolCallId: 't-1' });
    const done = r().advance(start.state, { type: 'tool_result', callId: 't-1', ok: true, result: { status: 'valid' } });
    expect(said(done.actions)).toEqual(['It is valid.']);
    expect(done.state.slots['result']).toEqual({ status: 'valid' });
  });

  it('ignores results of other calls and goes to onError on failure', () => {
    const start = r().start({ slots: { code: '1' } });
    expect(r().advance(start.state, { type: 'tool_result', callId: 'other', ok: true, result: 1 }).actions).toEqual([]);
    expect(r().advance(start.state, { type: 'tool_result', callId: 't-1', ok: false, error: 'HTTP 500' }).state.ended?.reason).toBe('tool_failed');
  });
});

describe('transfer', () => {
  it('says the handover text and transfers with the summary', () => {
    const r = runner({
      slots: { account: { type: 'digits' } },
      steps: { x: { type: 'transfer', to: '+14155550100', say: en('Connecting you.'), summary: en('Account {{account}}.') } },
    });
    const turn = r.start({ slots: { account: '1234' } });
    expect(turn.actions).toEqual([
      { type: 'say', step: 'x', text: 'Connecting you.', interruptible: false },
      { type: 'transfer', step: 'x', to: '+14155550100', summary: 'Account 1 2 3 4.' },
    ]);
    expect(turn.state.ended).toEqual({ reason: 'transferred', transferTo: '+14155550100' });
    expect(r.advance(turn.state, { type: 'text', text: 'hello?' }).actions).toEqual([]);
  });

  it('writes a summary when none is given', () => {
    const r = runner({
      slots: { account: { type: 'digits' } },
      intents: { refund: { phrases: { 'en-US': ['i want a refund'] } } },
      steps: {
        a: { type: 'ask', prompt: en('Yes?'), intents: ['refund'], capture: ['account'], next: 'x', onNoMatch: 'x' },
        x: { type: 'transfer', to: 'queue:billing' },
      },
    });
    const turn = r.advance(r.start().state, { type: 'text', text: 'I want a refund for account 1234' });
    expect(turn.actions.at(-1)).toEqual({ type: 'transfer', step: 'x', to: 'queue:billing',
      summary: 'Caller intent: refund. account: 1 2 3 4. They said: "I want a refund for account 1234"' });
  });
});

describe('llm', () => {
  const r = () => runner({
    instructions: en('You are the front desk of a dental clinic.'),
    slots: { name: { type: 'text' } },
    intents: { done: { phrases: { 'en-US': ['that is all'] }, keywords: { 'en-US': ['goodbye'] } } },
    steps: {
      chat: { type: 'llm', instructions: en('Answer questions about opening hours.'), intents: ['done'], until: { intent: 'done' }, maxTurns: 3, tools: ['end_call'], next: 'bye' },
      bye: { type: 'end', text: en('Goodbye.') },
    },
  });

  it('hands turns to the model until the condition holds', () => {
    const start = r().start();
    expect(start.actions).toEqual([{
      type: 'llm', step: 'chat', instructions: 'You are the front desk of a dental clinic.\n\nAnswer questions about opening hours.', slots: {}, transcript: [], tools: ['end_call'],
      apologies: { noModel: "Sorry, I can't answer open questions here.", modelFailed: "Sorry, I can't answer that right now." },
    }]);
    expect(start.state.waiting).toBe('llm');
    expect(r().expectation(start.state)).toBeNull();
    const replied = r().advance(start.state, { type: 'llm_reply', text: 'Hello! How can I help?' });
    expect(types(replied.actions)).toEqual(['listen']);
    expect(r().expectation(replied.state)).toMatchObject({ dictation: true, intents: { done: ['that is all', 'goodbye'] } });
    const asked = r().advance(replied.state, { type: 'text', text: 'When do you open?' });
    expect(asked.actions[0]).toMatchObject({ type: 'llm', transcript: [{ speaker: 'agent', text: 'Hello! How can I help?' }, { speaker: 'caller', text: 'When do you open?' }] });
    const answered = r().advance(asked.state, { type: 'llm_reply', text: 'At nine.' });
    const done = r().advance(answered.state, { type: 'text', text: 'thanks, that is all' });
    expect(said(done.actions)).toEqual(['Goodbye.']);
  });

  it('apologises in the conversation\'s language: the flow\'s own words, else the built-in ones, else English', () => {
    const steps = { chat: { type: 'llm' as const, instructions: { 'en-US': 'Help.', 'es-MX': 'Ayuda.', 'nl-NL': 'Help.' }, next: 'bye' }, bye: { type: 'end' as const } };
    const flow = runner({ languages: ['en-US', 'es-MX', 'nl-NL'], steps, phrases: { modelFailed: { 'en-US': 'Our assistant is resting.' } } });
    const apologies = (language: string) => (flow.start({ language }).actions[0] as Extract<FlowAction, { type: 'llm' }>).apologies;
    expect(apologies('en-US')).toEqual({ noModel: "Sorry, I can't answer open questions here.", modelFailed: 'Our assistant is resting.' });
    expect(apologies('es-MX')).toEqual({ noModel: 'Lo siento, aquí no puedo responder preguntas abiertas.', modelFailed: 'Lo siento, ahora mismo no puedo responder a eso.' });
    expect(apologies('nl-NL').noModel).toBe("Sorry, I can't answer open questions here.");
  });

  it('moves on after maxTurns caller turns', () => {
    let state: FlowState = r().start().state;
    for (let i = 0; i < 3; i++) {
      state = r().advance(state, { type: 'llm_reply', text: 'Mm-hm.' }).state;
      state = r().advance(state, { type: 'text', text: `question ${i}` }).state;
    }
    expect(state.ended?.reason).toBe('completed');
  });
});

describe('the engine', () => {
  it('never changes the state it is given, and its state survives JSON', () => {
    const r = runner({ slots: { n: { type: 'number' } }, steps: { q: { type: 'ask', prompt: en('N?'), slot: 'n', next: 'e', onNoMatch: 'e' }, e: { type: 'end' } } });
    const start = r.start();
    const frozen = JSON.stringify(start.state);
    const viaJson = r.advance(JSON.parse(frozen) as FlowState, { type: 'text', text: 'five' });
    const direct = r.advance(start.state, { type: 'text', text: 'five' });
    expect(JSON.stringify(start.state)).toBe(frozen);
    expect(viaJson).toEqual(direct);
  });

  it('ends a loop that never waits', () => {
    const flow = flowDefinitionSchema.parse({ id: 'loop', name: 'Loop', languages: ['en-US'], start: 'a', steps: {
      a: { type: 'say', text: en('a'), next: 'b' }, b: { type: 'say', text: en('b'), next: 'a' } } });
    const turn = new FlowRunner(flow).start();
    expect(turn.state.ended?.reason).toBe('loop_detected');
  });

  it('refuses invalid definitions with their errors', () => {
    expect(() => FlowRunner.from({ id: 'x', name: 'X', languages: ['en-US'], start: 'nope', steps: { a: { type: 'end' } } }))
      .toThrow(FlowInvalidError);
  });

  it('picks the flow language closest to the one asked for', () => {
    const r = runner({ languages: ['en-US', 'es-ES'], steps: { a: { type: 'end', text: { 'en-US': 'Bye.', 'es-ES': 'Adiós.' } } } });
    expect(said(r.start({ language: 'es' }).actions)).toEqual(['Adiós.']);
    expect(said(r.start({ language: 'fr-FR' }).actions)).toEqual(['Bye.']);
  });
});
