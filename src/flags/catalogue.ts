/**
 * Every feature flag, declared in code. `stage` sets the per-environment default:
 * development turns on every built flag (stable, rehearsal, experimental), staging stable + rehearsal,
 * production stable only. `unbuilt` flags gate features not built yet: off everywhere until their issue lands.
 */
export type FlagStage = 'stable' | 'rehearsal' | 'experimental' | 'unbuilt';

export interface FlagDefinition {
  name: string;
  description: string;
  stage: FlagStage;
  /** Value when neither the environment stage nor any override says otherwise. */
  default: 'on' | 'off';
}

const flag = (name: string, stage: FlagStage, description: string, defaultValue: 'on' | 'off' = 'off'): FlagDefinition =>
  ({ name, stage, description: stage === 'unbuilt' ? `${description} (not built yet; stays off until it lands)` : description, default: defaultValue });

export const FLAGS: readonly FlagDefinition[] = [
  flag('session-bootstrap', 'stable', 'Conversation sessions through POST /api/v1/sessions and their sockets.', 'on'),
  flag('api-keys', 'stable', 'Tenant-scoped API keys for programs.', 'on'),
  flag('console-live-events', 'rehearsal', 'Live domain events pushed to the console over /api/v1/events.'),
  flag('inbound-calls', 'stable', 'Answer inbound phone calls from Twilio and Telnyx (off: the carrier is told to reject them).', 'on'),
  flag('outbound-calls', 'stable', 'Place outbound phone calls through the tenant carrier (off: POST /api/v1/calls answers 403).', 'on'),
  flag('call-recording', 'stable', 'Dual-channel call recordings (off: new calls are not recorded).', 'on'),
  flag('browser-voice', 'experimental', 'Voice calls from the browser (console softphone and web widget; off: the widget shows no voice button).'),
  flag('web-chat', 'experimental', 'Text chat in the embeddable web widget (off: its socket answers 403).'),
  flag('ai-realtime', 'stable', 'Speech-to-speech providers (OpenAI Realtime, Gemini Live) answer `ai` numbers (off: another allowed provider does).', 'on'),
  flag('ai-cascade', 'stable', 'Cascaded speech-to-text → LLM → text-to-speech providers answer `ai` numbers (off: another allowed provider does).', 'on'),
  flag('provider-failover', 'experimental', 'Mid-call failover to the next healthy AI provider.'),
  flag('manual-provider-switch', 'experimental', 'Supervisors switch a live call to another AI provider.'),
  flag('ai-tools', 'stable', 'The AI model may call tools (transfer, end call, send DTMF, webhook lookups); off: it gets none.', 'on'),
  flag('sentiment', 'unbuilt', 'Live sentiment on transcripts.'),
  flag('agent-assist', 'unbuilt', 'Suggested replies and knowledge articles for agents.'),
  flag('automation', 'unbuilt', 'Rules on call events that trigger webhooks and tasks.'),
  flag('consent', 'unbuilt', 'Consent capture and recording disclosure by region.'),
  flag('retention', 'unbuilt', 'Retention purges of recordings and transcripts.'),
  flag('audit-log', 'unbuilt', 'Tamper-evident audit log.'),
  flag('pii-redaction', 'unbuilt', 'PII redaction in transcripts and logs.'),
  flag('campaigns', 'unbuilt', 'Outbound campaigns with pacing and calling windows.'),
];

export const FLAGS_BY_NAME: ReadonlyMap<string, FlagDefinition> = new Map(FLAGS.map((f) => [f.name, f]));
