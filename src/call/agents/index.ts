import type { AgentSpec } from '../agent.js';
import { EchoAgent } from './echo.js';
import { GreetingCache, type GreetingSynthesizer } from './greeting.js';
import { AgentRegistry } from './registry.js';
import { DEFAULT_VOICEMAIL_GREETING, VoicemailAgent, type VoicemailOptions } from './voicemail.js';

export { AgentRegistry, UnknownAgentError } from './registry.js';
export type { GreetingSynthesizer } from './greeting.js';

/** The registry with the agents that need no AI: `echo` and `voicemail`. */
export function createAgentRegistry(options: { synthesizer: GreetingSynthesizer | null }): AgentRegistry {
  const greetings = new GreetingCache(options.synthesizer);
  return new AgentRegistry()
    .register('echo', () => new EchoAgent())
    .register('voicemail', (spec) => new VoicemailAgent(greetings, voicemailOptions(spec)));
}

/** A number's `options` JSON → voicemail settings; values out of range fall back to the defaults. */
export function voicemailOptions(spec: Pick<AgentSpec, 'greeting' | 'options'>): VoicemailOptions {
  const o = spec.options;
  const ms = (key: string, min: number, max: number) => {
    const v = o[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
  };
  const text = (key: string) => (typeof o[key] === 'string' && o[key] !== '' ? o[key] : undefined);
  const result: VoicemailOptions = { greeting: spec.greeting ?? DEFAULT_VOICEMAIL_GREETING, language: text('language'), voice: text('voice') };
  const maxMs = ms('maxMs', 1000, 600_000);
  const silenceMs = ms('silenceMs', 500, 30_000);
  const noSpeechMs = ms('noSpeechMs', 1000, 120_000);
  if (maxMs !== undefined) result.maxMs = maxMs;
  if (silenceMs !== undefined) result.silenceMs = silenceMs;
  if (noSpeechMs !== undefined) result.noSpeechMs = noSpeechMs;
  return result;
}
