import { randomUUID } from 'node:crypto';
import { audioFormatFor, type CreateSessionRequest, type DomainEvent, type Session } from '../contracts/index.js';
import type { Bus } from '../infra/bus.js';
import type { SessionState } from '../infra/session-state.js';
import type { TokenSigner } from '../infra/tokens.js';
import type { Repositories } from '../store/index.js';
import type { SessionListQuery, SessionRow } from '../store/repositories/sessions.js';

export const SESSION_TOKEN_AUDIENCE = 'session';

export function toSession(row: SessionRow, now = Date.now()): Session {
  const expired = (row.status === 'created' || row.status === 'active') && row.expiresAt.getTime() <= now;
  return {
    id: row.id, channel: row.channel as Session['channel'], status: expired ? 'expired' : (row.status as Session['status']),
    provider: row.provider, flow: row.flow, persona: row.persona, instructions: row.instructions, language: row.language,
    temperature: row.temperature, phoneNumber: row.phoneNumber, campaign: row.campaign, metadata: row.metadata,
    createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null, endReason: row.endReason,
  };
}

/** Conversation sessions: durable rows in the database, live state in SessionState, events on the bus. */
export class SessionService {
  constructor(
    private readonly repos: Pick<Repositories, 'sessions'>,
    private readonly state: SessionState,
    private readonly bus: Bus,
    private readonly signer: TokenSigner,
    private readonly options: { ttlMs: number; publicUrl: string; instanceId: string },
  ) {}

  async create(tenantId: string, input: CreateSessionRequest, createdBy: string) {
    const id = randomUUID();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.options.ttlMs);
    const row = await this.repos.sessions.create({
      id, tenantId, channel: input.channel, status: 'created', provider: input.provider ?? null, flow: input.flow ?? null,
      persona: input.persona ?? null, instructions: input.instructions ?? null, language: input.language,
      temperature: input.temperature ?? null, phoneNumber: input.phoneNumber ?? null, campaign: input.campaign ?? null,
      metadata: input.metadata, createdBy, expiresAt,
    });
    await this.state.put({ sessionId: id, tenantId, status: 'created', instanceId: this.options.instanceId, updatedAt: now.toISOString(), data: { channel: input.channel } }, this.options.ttlMs);
    await this.publish(tenantId, 'session.created', { sessionId: id, channel: input.channel });
    const token = this.signer.sign({ aud: SESSION_TOKEN_AUDIENCE, sub: id, tenantId, exp: expiresAt.getTime() });
    const wsBase = this.options.publicUrl.replace(/^http/, 'ws');
    return { ...toSession(row), socketUrl: `${wsBase}/api/v1/sessions/${id}/socket`, token, audioFormat: audioFormatFor(input.channel) };
  }

  async get(tenantId: string, id: string): Promise<Session | null> {
    const row = await this.repos.sessions.byId(tenantId, id);
    return row ? toSession(row) : null;
  }

  async list(tenantId: string, query: SessionListQuery) {
    // "expired" is derived from expires_at; filter it after the fact only for that status.
    const page = await this.repos.sessions.list(tenantId, query.status === 'expired' ? { ...query, status: undefined } : query);
    const items = page.items.map((r) => toSession(r)).filter((s) => !query.status || s.status === query.status);
    return { items, nextCursor: page.nextCursor };
  }

  async end(tenantId: string, id: string, reason: string): Promise<Session | null> {
    const row = await this.repos.sessions.end(tenantId, id, reason);
    if (!row) return null;
    await this.state.delete(id);
    await this.publish(tenantId, 'session.ended', { sessionId: id, reason: row.endReason ?? reason });
    return toSession(row);
  }

  /** A socket joined: marks the session active in the live state any instance can read. */
  async markActive(tenantId: string, id: string): Promise<void> {
    await this.repos.sessions.setStatus(tenantId, id, 'active');
    await this.state.put({ sessionId: id, tenantId, status: 'active', instanceId: this.options.instanceId, updatedAt: new Date().toISOString(), data: {} }, this.options.ttlMs);
    await this.publish(tenantId, 'session.active', { sessionId: id });
  }

  liveState(id: string) {
    return this.state.get(id);
  }

  private async publish(tenantId: string, type: string, data: Record<string, unknown>): Promise<void> {
    const event: DomainEvent = { id: randomUUID(), type, tenantId, at: new Date().toISOString(), data };
    await this.bus.publish(event);
  }
}
