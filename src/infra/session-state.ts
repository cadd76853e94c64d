import { Redis } from 'ioredis';

/** Live state of a conversation session that any instance can read: who holds it, its status, counters. */
export interface LiveSessionState {
  sessionId: string;
  tenantId: string;
  status: 'created' | 'active' | 'ended';
  instanceId: string;
  updatedAt: string;
  data: Record<string, unknown>;
}

/** Shared live session state: in memory by default, Redis (with TTL) when REDIS_URL is set. */
export interface SessionState {
  put(state: LiveSessionState, ttlMs: number): Promise<void>;
  get(sessionId: string): Promise<LiveSessionState | null>;
  delete(sessionId: string): Promise<void>;
  close(): Promise<void>;
}

export class MemorySessionState implements SessionState {
  private readonly entries = new Map<string, { json: string; expiresAt: number }>();

  async put(state: LiveSessionState, ttlMs: number): Promise<void> {
    // Stored as JSON, like Redis does, so readers never share objects with writers.
    this.entries.set(state.sessionId, { json: JSON.stringify(state), expiresAt: Date.now() + ttlMs });
  }

  async get(sessionId: string): Promise<LiveSessionState | null> {
    const entry = this.entries.get(sessionId);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) { this.entries.delete(sessionId); return null; }
    return JSON.parse(entry.json) as LiveSessionState;
  }

  async delete(sessionId: string): Promise<void> {
    this.entries.delete(sessionId);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

export class RedisSessionState implements SessionState {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'sb:') {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.redis.on('error', () => {});
  }

  private key(sessionId: string): string {
    return `${this.prefix}session:${sessionId}`;
  }

  async put(state: LiveSessionState, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(state.sessionId), JSON.stringify(state), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async get(sessionId: string): Promise<LiveSessionState | null> {
    const raw = await this.redis.get(this.key(sessionId));
    return raw ? (JSON.parse(raw) as LiveSessionState) : null;
  }

  async delete(sessionId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
