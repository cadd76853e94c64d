/**
 * Provider health and breaker changes are instance-wide, but consoles listen on their own tenant's bus channel, so
 * each change goes to every tenant. `TenantFanout` keeps the tenant ids for `ttlMs` (one query, shared by the
 * changes that ask at the same time) instead of reading them per change: a provider hovering at the degraded line
 * changes status with every failed call. An empty list is not kept (the demo tenant is seeded after the probes start).
 */
export interface TenantFanoutOptions {
  tenantIds: () => Promise<string[]>;
  /** How long a read list is used (default 30 s): a tenant created since misses provider events that long. */
  ttlMs?: number;
  now?: () => number;
}

export class TenantFanout {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private cached: { ids: Promise<string[]>; at: number } | undefined;

  constructor(private readonly options: TenantFanoutOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Every tenant's id, read at most once per `ttlMs`. */
  tenants(): Promise<string[]> {
    const at = this.now();
    if (this.cached && at - this.cached.at < this.ttlMs) return this.cached.ids;
    const ids = this.options.tenantIds();
    const entry = { ids, at };
    this.cached = entry;
    // A failed or empty read is asked again by the next change.
    const forget = () => { if (this.cached === entry) this.cached = undefined; };
    ids.then((list) => { if (list.length === 0) forget(); }, forget);
    return ids;
  }

  /** Calls `send` once per tenant (for each change). */
  async each<T>(send: (tenantId: string) => Promise<T>): Promise<T[]> {
    return Promise.all((await this.tenants()).map(send));
  }
}
