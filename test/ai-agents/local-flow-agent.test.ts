import { afterAll, describe, expect, it } from 'vitest';
import { encodeFor } from '../../src/ai/agents/audio.js';
import { LocalFlowAgent } from '../../src/ai/agents/local-flow-agent.js';
import { EXAMPLE_FLOWS, validateFlow } from '../../src/ai/flows/index.js';
import { createLocalSynthesizer } from '../../src/ai/local/index.js';
import { MULAW_8K } from '../../src/call/leg.js';
import type { FlowDefinition } from '../../src/contracts/flows.js';
import { liveCall, silence, until } from './support.js';

const booking = validateFlow(EXAMPLE_FLOWS.find((f) => f.id === 'appointment-booking')).flow as FlowDefinition;
const tts = createLocalSynthesizer();
afterAll(() => tts.close());

/** What the caller says: flite speech made now, through the phone line (μ-law 8 kHz), with silence around it. */
async function utterance(text: string, voice = 'kal'): Promise<Uint8Array> {
  const { samples, sampleRate } = await tts.synthesize(text, { voice });
  return Buffer.concat([silence(300), encodeFor(samples, sampleRate, MULAW_8K), silence(800)]);
}

describe('LocalFlowAgent', () => {
  it('books an appointment by voice on the local pipeline: VAD, pocketsphinx with step grammars, flite', async () => {
    const said = await Promise.all(['I would like to book an appointment', 'tomorrow at ten', 'yes'].map((t) => utterance(t)));
    const agent = new LocalFlowAgent({ flow: booking, synthesizer: tts, voice: 'slt' });
    const { leg, journal, send, finals } = await liveCall(agent);
    const agentSaid = (text: string) => finals('agent').some((t) => t.text.includes(text));

    await until(() => agentSaid('How can I help you today'), 'the first prompt', { play: leg });
    expect(leg.sent.length).toBeGreaterThan(50); // 20 ms frames of synthesized speech
    expect(leg.sent[0]!.length).toBe(160);
    send(said[0]!);
    await until(() => agentSaid('What day and time'), 'the time prompt', { play: leg, timeoutMs: 15_000 });
    send(said[1]!);
    await until(() => agentSaid('Shall I book it'), 'the confirmation', { play: leg, timeoutMs: 15_000 });
    send(said[2]!);
    await until(() => leg.hungUp !== null, 'the hang-up', { play: leg, timeoutMs: 15_000 });

    expect(leg.hungUp).toBe('booked');
    expect(finals('agent').map((t) => t.text).join(' | ')).toMatch(/You are booked for .*Thank you for calling\. Goodbye\./);
    const caller = finals('caller').map((t) => t.text);
    expect(caller).toHaveLength(3);
    expect(caller[0]).toContain('appointment');
    expect(caller[1]).toMatch(/tomorrow.*ten/);
    expect(caller[2]).toBe('yes');
    expect(journal.types()).toContain('flow.ended');
    for (const t of finals()) expect(t.endMs).toBeGreaterThanOrEqual(t.startMs);
    // Empty recognitions (noise) are not timeline events.
    expect(journal.events.filter((e) => e.type === 'flow.recognized').map((e) => e.data['text'])).not.toContain('');
  }, 60_000);

  it('barge-in: caller speech over an interruptible prompt clears the carrier and keeps the heard part only', async () => {
    const said = await utterance('I would like to book an appointment');
    const { leg, journal, send, finals } = await liveCall(new LocalFlowAgent({ flow: booking, synthesizer: tts, voice: 'slt' }));
    await until(() => journal.events.filter((e) => e.type === 'flow.say').length >= 2, 'greeting and prompt queued');
    const greetingMs = journal.events[journal.types().indexOf('flow.say')]!.data['audioMs'] as number;
    send(said);                                  // over the non-interruptible greeting: ignored
    expect(leg.clears).toHaveLength(0);
    leg.playUpTo(greetingMs + 1000);             // greeting done, one second of the prompt heard
    await new Promise((r) => setTimeout(r, 350)); // past the echo guard window
    send(said);
    expect(leg.clears).toHaveLength(1);
    expect(journal.events.find((e) => e.type === 'flow.barge_in')?.data['heardMs']).toBe(greetingMs + 1000);
    const prompt = finals('agent').find((t) => t.text.startsWith('How can I'))!;
    expect(prompt.text.length).toBeLessThan('How can I help you today? You can say: I would like to book an appointment.'.length);
    await until(() => finals('agent').some((t) => t.text.includes('What day and time')), 'the time prompt', { play: leg, timeoutMs: 15_000 });
    expect(finals('caller')).toHaveLength(1);
  }, 30_000);

  it('runs on DTMF alone when local speech is unavailable, and still writes the agent transcript without a voice', async () => {
    const agent = new LocalFlowAgent({
      flow: booking, synthesizer: null,
      speech: async () => ({ asr: { available: false, reason: 'not installed' }, tts: { available: false }, vad: { available: true } }),
    });
    const { leg, journal, finals } = await liveCall(agent);
    await until(() => finals('agent').some((t) => t.text.includes('How can I help')), 'the first prompt');
    expect(leg.sent).toHaveLength(0);
    leg.press('2'); // the second intent: speak to a person
    await until(() => leg.transferredTo !== null, 'the transfer');
    expect(leg.transferredTo).toBe('queue:front_desk');
    expect(journal.events.find((e) => e.type === 'flow.started')?.data).toMatchObject({ asr: false, tts: false });
    expect(finals('agent').at(-1)?.text).toBe('Let me put you through to someone who can help.');
  });
});
