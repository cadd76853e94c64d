import { createContext, useContext, useEffect, useRef, useSyncExternalStore } from 'react';
import type { DomainEvent } from '../../contracts/events';
import type { LiveEvents, LiveStatus } from './api/events';

export const LiveContext = createContext<LiveEvents | null>(null);

function useLive(): LiveEvents {
  const live = useContext(LiveContext);
  if (!live) throw new Error('LiveContext is missing');
  return live;
}

export function useLiveStatus(): LiveStatus {
  const live = useLive();
  return useSyncExternalStore((notify) => live.onStatus(notify), () => live.status);
}

/** Calls `handler` for every live event whose type starts with `prefix`. */
export function useLiveEvent(prefix: string, handler: (event: DomainEvent) => void): void {
  const live = useLive();
  const latest = useRef(handler);
  useEffect(() => { latest.current = handler; });
  useEffect(() => live.onEvent((event) => { if (event.type.startsWith(prefix)) latest.current(event); }), [live, prefix]);
}
