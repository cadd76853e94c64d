import { useEffect } from 'react';

/**
 * Loads the first page of a list once, when the component mounts; a failure goes to `onError` unless the component
 * went away first (its request is aborted on unmount).
 */
export function useFirstPage<T>(
  load: (signal: AbortSignal) => Promise<{ items: T[] }>,
  onItems: (items: T[]) => void,
  onError: (err: unknown) => void,
): void {
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then((page) => onItems(page.items), (err: unknown) => { if (!controller.signal.aborted) onError(err); });
    return () => controller.abort();
    // Once per mount, as the callers' first load: later changes come from their own actions.
  }, []);
}
