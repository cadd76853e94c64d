import type { AgentFactory, AgentSession, AgentSpec } from '../agent.js';

export class UnknownAgentError extends Error {
  constructor(readonly kind: string) { super(`no agent of kind ${kind}`); this.name = 'UnknownAgentError'; }
}

/** Agent factories by kind. This issue registers `echo` and `voicemail`; the AI engine adds its kinds here. */
export class AgentRegistry {
  private readonly factories = new Map<string, AgentFactory>();

  register(kind: string, factory: AgentFactory): this {
    this.factories.set(kind, factory);
    return this;
  }

  has(kind: string): boolean {
    return this.factories.has(kind);
  }

  kinds(): string[] {
    return [...this.factories.keys()].sort();
  }

  /** A new agent for one call; throws UnknownAgentError for a kind nobody registered. */
  create(spec: AgentSpec): AgentSession {
    const factory = this.factories.get(spec.kind);
    if (!factory) throw new UnknownAgentError(spec.kind);
    return factory(spec);
  }
}
