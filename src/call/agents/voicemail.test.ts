import { describe, expect, it } from 'vitest';
import { FakeLeg } from '../../../test/support/fake-leg.js';
import { MemoryJournal } from '../../../test/support/memory-journal.js';
import { pcm16ToMulaw, sine, whiteNoise } from '../../media/index.js';
import { CallSession } from '../session.js';
import { GreetingCache, type GreetingSynthesizer } from './greeting.js';
import { VoicemailAgent, type VoicemailOptions } from './voicemail.js';

const speech = pcm16ToMulaw(whiteNoise(160, 0.1)); // −20 dBFS: speech to an energy VAD
const silence = new Uint8Array(160).fill(0xff);    // μ-law silence

/** A synthesizer that "speaks" 1.5 s of 300 Hz at 16 kHz and counts its calls. */
function fakeSynth(): GreetingSynthesizer & { calls: string[] } {
  const calls: string[] = [];
  return { calls, synthesize: async (text) => { calls.push(text); return { samples: sine(300, 16000, 24000, 0.3), sampleRate: 16000 }; } };
}

async function voicemail(synth: GreetingSynthesizer | null, options: Partial<VoicemailOptions> = {}) {
  const leg = new FakeLeg();
  const journal = new MemoryJournal();
  const agent = new VoicemailAgent(new GreetingCache(synth, { timeoutMs: 500 }), { greeting: 'Leave a message.', silenceMs: 1000, noSpeechMs: 2000, ...options });
  const session = new CallSession({ callId: 'c', tenantId: 't', state: 'ringing', leg, agent, journal, tap: null });
  await session.start();
  let at = 0;
  const say = (frame: Uint8Array, count: number) => { for (let i = 0; i < count; i++) { leg.say(frame, at); at += 20; } };
  /** Talking: 300 ms phrases with 100 ms pauses, as people do (steady noise would become the VAD's noise floor). */
  const talk = (ms: number) => { for (let t = 0; t < ms; t += 400) { say(silence, 5); say(speech, 15); } };
  return { leg, journal, session, say, talk };
}

describe('voicemail agent', () => {
  it('plays the synthesized greeting, then a beep, records, and hangs up on silence after speech', async () => {
    const synth = fakeSynth();
    const { leg, journal, session, say, talk } = await voicemail(synth);
    expect(synth.calls).toEqual(['Leave a message.']);
    expect(leg.sent).toHaveLength(1);
    expect(leg.sent[0]!.length).toBe(1.5 * 8000); // resampled to the leg's 8 kHz μ-law
    expect(journal.events[0]).toMatchObject({ type: 'voicemail.greeting_started', data: { source: 'tts' } });
    say(speech, 10); // talking over the greeting is not the message
    leg.playAll();
    expect(leg.sent).toHaveLength(2);
    expect(leg.sent[1]!.length).toBe(0.4 * 8000); // the beep
    expect(journal.types()).not.toContain('voicemail.recording_started');
    leg.playAll();
    expect(journal.types()).toContain('voicemail.recording_started');
    say(silence, 25);
    talk(2000);        // two seconds of message
    say(silence, 49);  // not yet a second of silence
    expect(leg.hungUp).toBeNull();
    say(silence, 1);   // one second of silence ends it
    expect(leg.hungUp).toBe('voicemail-complete');
    await session.end('completed', 'x', 'agent');
    const ended = journal.events.find((e) => e.type === 'voicemail.recording_ended')!;
    expect(ended.data).toMatchObject({ reason: 'silence', spoke: true });
    expect(ended.data['durationMs']).toBeGreaterThanOrEqual(3000);
    expect(journal.states.at(-1)).toMatchObject({ to: 'completed', source: 'agent', cause: 'voicemail-complete' });
    expect(journal.types()).toEqual(['voicemail.greeting_started', 'voicemail.recording_started', 'voicemail.speech_started', 'voicemail.recording_ended']);
  });

  it('falls back to a tone without a synthesizer, and when synthesis fails', async () => {
    const none = await voicemail(null);
    expect(none.journal.events[0]).toMatchObject({ type: 'voicemail.greeting_started', data: { source: 'tone' } });
    expect(none.leg.sent[0]!.length).toBe(0.65 * 8000);
    const failing = await voicemail({ synthesize: async () => { throw new Error('no voices'); } });
    expect(failing.journal.events[0]).toMatchObject({ data: { source: 'tone', error: 'no voices' } });
  });

  it('synthesizes a greeting once for many calls', async () => {
    const synth = fakeSynth();
    const cache = new GreetingCache(synth);
    await Promise.all([1, 2, 3].map(() => cache.get('Hi', { encoding: 'mulaw', sampleRate: 8000 })));
    expect(synth.calls).toHaveLength(1);
  });

  it('ends when nobody speaks, and at the maximum length', async () => {
    const quiet = await voicemail(null);
    quiet.leg.playAll(); quiet.leg.playAll();
    quiet.say(silence, 100);
    expect(quiet.leg.hungUp).toBe('voicemail-complete');
    expect(quiet.journal.events.at(-1)).toMatchObject({ type: 'voicemail.recording_ended', data: { reason: 'no-speech', spoke: false } });

    const talker = await voicemail(null, { maxMs: 1000 });
    talker.leg.playAll(); talker.leg.playAll();
    talker.say(speech, 50);
    expect(talker.journal.events.at(-1)).toMatchObject({ type: 'voicemail.recording_ended', data: { reason: 'max-length' } });
  });

  it('marks the message as ended by hang-up when the caller hangs up while recording', async () => {
    const { leg, journal, session, say } = await voicemail(null);
    leg.playAll(); leg.playAll();
    say(speech, 30);
    leg.drop();
    await session.end('completed', 'x', 'caller');
    expect(journal.events.at(-1)).toMatchObject({ type: 'voicemail.recording_ended', data: { reason: 'hangup', spoke: true } });
    expect(leg.hungUp).toBeNull();
  });

  it('skips to the beep on any key during the greeting', async () => {
    const { leg, journal } = await voicemail(fakeSynth());
    leg.press('1');
    expect(leg.clears).toHaveLength(1);
    expect(leg.sent[1]!.length).toBe(3200);
    leg.playAll();
    expect(journal.types()).toContain('voicemail.recording_started');
  });
});
