import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import { domainEventSchema, type DomainEvent } from '../contracts/events.js';

export type BusListener = (event: DomainEvent) => void;

/** Live domain events for every instance: in process by default, Redis pub/sub with REDIS_URL. */
export interface Bus {
  publish(event: DomainEvent): Promise<void>;
  /** Listens to every event of one tenant; returns the function that stops listening. */
  subscribe(tenantId: string, listener: BusListener): () => void;
  close(): Promise<void>;
}

export class MemoryBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(event: DomainEvent): Promise<void> {
    this.emitter.emit(event.tenantId, event);
  }

  subscribe(tenantId: string, listener: BusListener): () => void {
    this.emitter.on(tenantId, listener);
    return () => this.emitter.off(tenantId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/**
 * One Redis channel per tenant (`<prefix>events:<tenantId>`). The subscriber connection subscribes to a channel
 * while at least one local listener wants it. Events arriving from Redis are validated before delivery.
 */
export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly local = new MemoryBus();
  private readonly counts = new Map<string, number>();

  constructor(url: string, private readonly prefix = 'sb:', private readonly onBadMessage: (reason: string) => void = () => {}) {
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: false });
    this.sub.on('message', (channel: string, message: string) => this.deliver(channel, message));
    // Connection errors are retried by ioredis; an unhandled 'error' event would crash the process.
    this.pub.on('error', () => {});
    this.sub.on('error', () => {});
  }

  private channel(tenantId: string): string {
    return `${this.prefix}events:${tenantId}`;
  }

  private deliver(channel: string, message: string): void {
    let parsed: unknown;
    try { parsed = JSON.parse(message); } catch { this.onBadMessage('invalid-json'); return; }
    const result = domainEventSchema.safeParse(parsed);
    if (!result.success || this.channel(result.data.tenantId) !== channel) { this.onBadMessage('invalid-event'); return; }
    void this.local.publish(result.data);
  }

  async publish(event: DomainEvent): Promise<void> {
    await this.pub.publish(this.channel(event.tenantId), JSON.stringify(event));
  }

  /** Resolves once Redis confirmed the subscription, so an event published right after is not missed. */
  async subscribeReady(tenantId: string, listener: BusListener): Promise<() => void> {
    const stop = this.subscribe(tenantId, listener);
    await this.sub.subscribe(this.channel(tenantId));
    return stop;
  }

  subscribe(tenantId: string, listener: BusListener): () => void {
    const count = this.counts.get(tenantId) ?? 0;
    this.counts.set(tenantId, count + 1);
    if (count === 0) void this.sub.subscribe(this.channel(tenantId)).catch(() => {});
    const stopLocal = this.local.subscribe(tenantId, listener);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      stopLocal();
      const left = (this.counts.get(tenantId) ?? 1) - 1;
      if (left > 0) { this.counts.set(tenantId, left); return; }
      this.counts.delete(tenantId);
      void this.sub.unsubscribe(this.channel(tenantId)).catch(() => {});
    };
  }

  async ping(): Promise<void> {
    await this.pub.ping();
  }

  async close(): Promise<void> {
    await this.local.close();
    this.sub.disconnect();
    await this.pub.quit().catch(() => this.pub.disconnect());
  }
}
