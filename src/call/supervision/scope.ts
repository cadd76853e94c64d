import type { Role } from '../../contracts/common.js';

/**
 * Which calls someone may see: null = all of the tenant's (supervisors, admins, analysts, API keys of those roles);
 * otherwise an agent's own calls (assignee) and the calls of their queues.
 */
export type CallScope = { userId: string | null; queues: readonly string[] } | null;

/** Roles that see every call of the tenant; agents see their own and their queues'. */
const SEES_ALL: readonly Role[] = ['admin', 'supervisor', 'analyst'];

export function callScopeFor(who: { role: Role; userId: string | null; queues: readonly string[] }): CallScope {
  return SEES_ALL.includes(who.role) ? null : { userId: who.userId, queues: who.queues };
}

export function inScope(scope: CallScope, call: { queue: string; assigneeUserId: string | null }): boolean {
  if (!scope) return true;
  return scope.queues.includes(call.queue) || (scope.userId !== null && call.assigneeUserId === scope.userId);
}

/** The queue a call lands in: the number's `options.queue` when it names one, else 'general'. */
export function queueOf(options: Record<string, unknown> | null | undefined): string {
  const q = options?.queue;
  return typeof q === 'string' && /^[a-z0-9][a-z0-9_-]{0,47}$/i.test(q) ? q : DEFAULT_QUEUE;
}

export const DEFAULT_QUEUE = 'general';

/** The scope of an authenticated caller (a user, or an API key: no user, the default queue). */
export function scopeOfCaller(caller: { role: Role; user: { id: string; queues: readonly string[] } | null }): CallScope {
  return callScopeFor({ role: caller.role, userId: caller.user?.id ?? null, queues: caller.user?.queues ?? [DEFAULT_QUEUE] });
}
