/**
 * bench:turn's record of this thread's garbage-collection pauses on the monotonic clock of the socket stamps
 * (`monoMs`), so that a turn can say how much of the platform's time went to stopping for the collector: the
 * young generation's scavenges (~0.5–1 ms here) and the old generation's mark-compact finishes (a few ms).
 * The platform's own cost, not subtracted anywhere: reported beside the run-queue wait to explain the tail.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { monoMs } from './socket-stamps.js';

export interface GcPause { start: number; end: number; kind: 'scavenge' | 'mark-compact' | 'other' }

const KINDS: Record<number, GcPause['kind']> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
};

/** Starts recording; entries arrive asynchronously, so read `pauses` once the turns in question are over. */
export function recordGcPauses(): { pauses: GcPause[]; stop(): void } {
  // performance.now() and monoMs() read the same monotonic clock from different origins.
  const offset = monoMs() - performance.now();
  const pauses: GcPause[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // A gc entry's detail (Node ≥ 16) says which collector ran; the types do not declare it.
      const { detail } = entry as unknown as { detail?: { kind?: number } };
      const kind = KINDS[detail?.kind ?? -1] ?? 'other';
      pauses.push({ start: entry.startTime + offset, end: entry.startTime + entry.duration + offset, kind });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return { pauses, stop: () => observer.disconnect() };
}

/** How much of the given stretches ([from, to] pairs) the pauses covered, in ms. */
export function pausedWithin(pauses: readonly GcPause[], stretches: readonly (readonly [number, number])[]): number {
  let total = 0;
  for (const [from, to] of stretches) {
    for (const p of pauses) total += Math.max(0, Math.min(to, p.end) - Math.max(from, p.start));
  }
  return total;
}
