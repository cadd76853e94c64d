import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import type { FlowValidation } from '../../api/admin-types';
import { parseDefinition } from './flow-text';

const DEBOUNCE_MS = 350;

/** Live validation of the editor's text: parsed locally, then checked by the server a moment after typing stops. */
export function useFlowValidation(text: string) {
  const parsed = useMemo(() => parseDefinition(text), [text]);
  const [result, setResult] = useState<{ text: string; validation: FlowValidation } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!parsed.ok) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.call('validateFlow', { body: { definition: parsed.value }, signal: controller.signal })
        .then((validation) => { setResult({ text, validation }); setError(null); }, (err: unknown) => { if (!controller.signal.aborted) setError(err); });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [parsed, text]);

  const current = result?.text === text ? result.validation : null;
  return {
    definition: parsed.ok ? parsed.value : null,
    parseError: parsed.ok ? null : parsed.error,
    validation: current,
    checking: parsed.ok && !current && !error,
    error,
  };
}
