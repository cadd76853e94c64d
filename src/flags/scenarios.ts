import type { ScenarioName } from '../contracts/flags.js';

/** A named preset of flags and provider settings that switches a deployment's setup for a demo. */
export interface Scenario {
  name: ScenarioName;
  title: string;
  description: string;
  flags: Record<string, string>;
  providers: { primary: string; fallbacks: string[] };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'basic', title: 'Basic', description: 'Inbound and outbound calls answered by one AI provider.',
    flags: { 'inbound-calls': 'on', 'outbound-calls': 'on', 'call-recording': 'on', 'provider-failover': 'off' },
    providers: { primary: 'local', fallbacks: [] },
  },
  {
    name: 'multi-provider', title: 'Multi-provider', description: 'Several AI providers with failover and manual switching.',
    flags: { 'inbound-calls': 'on', 'outbound-calls': 'on', 'provider-failover': 'on', 'manual-provider-switch': 'on', 'ai-realtime': 'on' },
    providers: { primary: 'openai', fallbacks: ['gemini', 'local'] },
  },
  {
    name: 'ai-first', title: 'AI first', description: 'Tools, sentiment, agent-assist suggestions and automation.',
    flags: { 'inbound-calls': 'on', 'ai-tools': 'on', 'sentiment': 'on', 'agent-assist': 'on', 'automation': 'on', 'ai-realtime': 'on' },
    providers: { primary: 'openai', fallbacks: ['local'] },
  },
  {
    name: 'compliance', title: 'Compliance', description: 'Consent, retention, audit log and PII redaction.',
    flags: { 'inbound-calls': 'on', 'call-recording': 'on', 'consent': 'on', 'retention': 'on', 'audit-log': 'on', 'pii-redaction': 'on' },
    providers: { primary: 'local', fallbacks: [] },
  },
  {
    name: 'browser-channel', title: 'Browser channel', description: 'Web chat and web voice from an embeddable widget.',
    flags: { 'web-chat': 'on', 'browser-voice': 'on', 'console-live-events': 'on' },
    providers: { primary: 'local', fallbacks: [] },
  },
];

export const SCENARIOS_BY_NAME: ReadonlyMap<string, Scenario> = new Map(SCENARIOS.map((s) => [s.name, s]));
