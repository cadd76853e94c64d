/**
 * Routing policies: an ordered list of candidate providers for a new session (or the next one after a
 * failure). Open breakers and providers marked down are skipped; if that leaves nothing, the down ones come
 * back last (trying a maybe-dead provider beats certain silence), open breakers never.
 */
import type { HealthStatus } from './health.js';

export type RoutingPolicy = 'priority' | 'lowest-latency' | 'round-robin' | 'weighted';

export interface ProviderView {
  name: string;
  /** Lower comes first under `priority`. */
  priority?: number;
  weight?: number;
  status: HealthStatus;
  latencyMs: number | null;
  /** Breaker lets a request through. */
  available: boolean;
}

export interface PolicyOptions {
  policy: RoutingPolicy;
  /** For `weighted`; default Math.random. */
  random?: () => number;
  /** Leave these out (e.g. the provider that just failed goes last instead). */
  exclude?: readonly string[];
  /** Read the order without side effects (a listing, not a pick): round robin does not advance, weighted ranks by weight instead of drawing. */
  peek?: boolean;
}

export class RoutingState {
  private cursor = 0;
  next(): number {
    return this.cursor++;
  }
  peek(): number {
    return this.cursor;
  }
}

export function orderCandidates(providers: readonly ProviderView[], options: PolicyOptions, state = new RoutingState()): string[] {
  const usable = providers.filter((p) => p.available && !options.exclude?.includes(p.name));
  const up = usable.filter((p) => p.status !== 'down');
  const down = usable.filter((p) => p.status === 'down');
  return [...order(up, options, state), ...order(down, { ...options, policy: 'priority' }, state)].map((p) => p.name);
}

function order(list: readonly ProviderView[], options: PolicyOptions, state: RoutingState): ProviderView[] {
  const byPriority = [...list].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  switch (options.policy) {
    case 'priority':
      return byPriority;
    case 'lowest-latency':
      // Unknown latency goes after measured ones; ties keep priority order. Degraded after healthy.
      return [...byPriority].sort((a, b) => rank(a) - rank(b) || (a.latencyMs ?? Infinity) - (b.latencyMs ?? Infinity));
    case 'round-robin': {
      if (byPriority.length === 0) return [];
      const start = (options.peek ? state.peek() : state.next()) % byPriority.length;
      return [...byPriority.slice(start), ...byPriority.slice(0, start)];
    }
    case 'weighted': {
      if (options.peek) return [...byPriority].sort((a, b) => Math.max(0, b.weight ?? 1) - Math.max(0, a.weight ?? 1));
      const random = options.random ?? Math.random;
      const left = [...byPriority];
      const out: ProviderView[] = [];
      while (left.length) {
        const total = left.reduce((sum, p) => sum + Math.max(0, p.weight ?? 1), 0);
        let pick = random() * total;
        let index = left.findIndex((p) => (pick -= Math.max(0, p.weight ?? 1)) < 0);
        if (index < 0) index = left.length - 1;
        out.push(left.splice(index, 1)[0]!);
      }
      return out;
    }
  }
}

function rank(p: ProviderView): number {
  return p.status === 'degraded' ? 1 : 0;
}
