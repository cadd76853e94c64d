/** The AI agent kinds the platform registers: `flow` (local pipeline, the default) and `ai` (a provider). */
import type { AgentFactory, AgentSpec } from '../../call/agent.js';
import type { FlowDefinition } from '../../contracts/flows.js';
import type { LanguageModel } from '../cascade/stages.js';
import type { SpeechSynthesizer } from '../local/index.js';
import type { AiSession, ConversationTurn, ProviderHooks } from '../session.js';
import { LocalFlowAgent, type FlowContinuation } from './local-flow-agent.js';
import { createAiSession, type ProviderConfig } from './provider.js';
import { ProviderAgent } from './provider-agent.js';

export interface AiAgentDeps {
  synthesizer: SpeechSynthesizer | null;
  /** A tenant's published flow by id or key (`platform.flows.published`). */
  loadFlow: (tenantId: string, ref: string) => Promise<FlowDefinition | null>;
  /** The provider `ai` numbers use; without one (and no `providers`) the `ai` kind is not registered. */
  provider?: ProviderConfig | null;
  /** Named providers; an `ai` number's `options.provider` picks one (default: `provider`, else the first). */
  providers?: Record<string, ProviderConfig>;
  /**
   * A failover session for the tenant when its `provider-failover` flag is on, else null: over the `allow`ed
   * providers (names in `providers`), `prefer` (the number's own choice) first, else the tenant's routing order.
   */
  failover?: (tenantId: string, choice: { prefer?: string; allow: string[]; flow?: string | null }) => Promise<AiSession | null>;
  llm?: LanguageModel | null;
  webhookSecret?: string;
  hooks?: ProviderHooks;
  /** The tenant's feature flags: `ai-realtime`, `ai-cascade` pick the providers allowed, `ai-tools` the model's tools. */
  features?: { isEnabled(tenantId: string, flag: string): Promise<boolean> };
  /** The conversation before a call (a widget contact's chat, found from the call's metadata); empty for most calls. */
  priorConversation?: (spec: AgentSpec) => Promise<ConversationTurn[]>;
  /** The run of the same flow a call picks up (a widget contact's chat): `flow` agents resume it and hand it back. */
  continuation?: (spec: AgentSpec) => Promise<FlowContinuation | null>;
}

/** The flag that turns a kind of provider on for a tenant. */
export function providerFlag(config: ProviderConfig): 'ai-realtime' | 'ai-cascade' {
  return config.kind === 'cascade' ? 'ai-cascade' : 'ai-realtime';
}

export const DEFAULT_AI_INSTRUCTIONS = 'You are a friendly phone agent. Keep answers short: one or two sentences.';

const text = (spec: AgentSpec, key: string): string | undefined => {
  const v = spec.options[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

export function registerAiAgents<R extends { register(kind: string, factory: AgentFactory): R }>(registry: R, deps: AiAgentDeps): R {
  const secret = deps.webhookSecret ? { webhookSecret: deps.webhookSecret } : {};
  const prior = deps.priorConversation;
  const history = (spec: AgentSpec) => (prior ? { history: () => prior(spec) } : {});
  registry.register('flow', (spec) => {
    const ref = spec.flowId;
    const voice = text(spec, 'voice');
    const language = text(spec, 'language');
    return new LocalFlowAgent({
      flow: () => (ref ? deps.loadFlow(spec.tenantId, ref) : Promise.resolve(null)),
      synthesizer: deps.synthesizer, llm: deps.llm ?? null, ...secret, ...history(spec),
      ...(deps.continuation ? { continuation: () => deps.continuation!(spec) } : {}),
      ...(voice ? { voice } : {}), ...(language ? { language } : {}),
    });
  });
  const named = deps.providers ?? {};
  const fallback = deps.provider ?? Object.values(named)[0];
  if (!fallback) return registry; // numbers cannot name `ai` until a provider is configured
  return registry.register('ai', (spec) => {
    const voice = text(spec, 'voice');
    const language = text(spec, 'language');
    const wanted = text(spec, 'provider');
    const provider = (wanted ? named[wanted] : undefined) ?? fallback;
    const allowed = async (config: ProviderConfig) => (deps.features ? deps.features.isEnabled(spec.tenantId, providerFlag(config)) : true);
    const session = async (): Promise<AiSession> => {
      // The providers whose kind is on for the tenant, the number's own first: one answer for both paths.
      const usable: ProviderConfig[] = [];
      for (const config of [provider, ...Object.values(named).filter((c) => c !== provider)]) if (await allowed(config)) usable.push(config);
      if (deps.failover) {
        const allow = Object.entries(named).filter(([, config]) => usable.includes(config)).map(([name]) => name);
        // A provider the number names goes first; otherwise the tenant's routing policy orders them.
        const prefer = wanted && named[wanted] ? wanted : undefined;
        const failover = await deps.failover(spec.tenantId, { ...(prefer ? { prefer } : {}), allow, flow: spec.flowId });
        if (failover) return failover;
      }
      const first = usable[0];
      if (!first) throw new Error(`no AI provider is turned on for this tenant (feature flags ai-realtime / ai-cascade are off for ${provider.kind})`);
      return createAiSession(first, deps.hooks);
    };
    return new ProviderAgent({
      session, instructions: text(spec, 'instructions') ?? DEFAULT_AI_INSTRUCTIONS,
      speakFirst: true, greetingInterruptible: spec.options['greetingInterruptible'] !== false, ...secret, ...history(spec),
      ...(deps.features ? { toolsEnabled: () => deps.features!.isEnabled(spec.tenantId, 'ai-tools') } : {}),
      ...(voice ? { voice } : {}), ...(language ? { language } : {}),
    });
  });
}
