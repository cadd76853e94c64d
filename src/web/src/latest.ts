import { useCallback, useRef } from 'react';

/**
 * Wraps a loader so that only the answer of the most recent call is applied: a slow, older answer (say, a refresh
 * started by a live event) never overwrites a newer one.
 */
export function useLatest<T>(load: () => Promise<T>, apply: (value: T) => void, fail: (err: unknown) => void): () => Promise<void> {
  const seq = useRef(0);
  const loadRef = useRef(load);
  const applyRef = useRef(apply);
  const failRef = useRef(fail);
  loadRef.current = load;
  applyRef.current = apply;
  failRef.current = fail;
  return useCallback(async () => {
    const mine = ++seq.current;
    try {
      const value = await loadRef.current();
      if (mine === seq.current) applyRef.current(value);
    } catch (err) {
      if (mine === seq.current) failRef.current(err);
    }
  }, []);
}
