import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Flag } from '../api/types';

type Mode = 'inherit' | 'on' | 'off' | 'rollout';

function modeOf(override: string | null): { mode: Mode; percent: number } {
  if (override === null) return { mode: 'inherit', percent: 50 };
  if (override === 'on' || override === 'off') return { mode: override, percent: 50 };
  return { mode: 'rollout', percent: Number.parseInt(override, 10) };
}

/** Sets or clears one flag's tenant override: on, off or a percentage rollout. */
export function FlagOverride({ flag, onSaved }: { flag: Flag; onSaved(): void }) {
  const initial = modeOf(flag.tenantOverride);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [percent, setPercent] = useState(initial.percent);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const value = mode === 'rollout' ? `${percent}%` : mode === 'inherit' ? null : mode;
  const validPercent = Number.isInteger(percent) && percent >= 0 && percent <= 100;
  const changed = value !== flag.tenantOverride;

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (value === null) await api.call('clearFlag', { params: { name: flag.name } });
      else await api.call('setFlag', { params: { name: flag.name }, body: { value } });
      onSaved();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'saving failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="override" onSubmit={(e) => void save(e)} data-testid={`override-${flag.name}`}>
      <select aria-label={`Override for ${flag.name}`} value={mode} onChange={(e) => setMode(e.target.value as Mode)} disabled={busy}>
        <option value="inherit">No override</option>
        <option value="on">On</option>
        <option value="off">Off</option>
        <option value="rollout">Rollout %</option>
      </select>
      {mode === 'rollout' && (
        <input type="number" min={0} max={100} step={1} className="percent" aria-label={`Rollout percentage for ${flag.name}`}
          value={Number.isNaN(percent) ? '' : percent} onChange={(e) => setPercent(e.target.valueAsNumber)} disabled={busy} />
      )}
      <button type="submit" className="button button-small" disabled={busy || !changed || (mode === 'rollout' && !validPercent)}>
        {value === null && flag.tenantOverride !== null ? 'Clear' : 'Save'}
      </button>
      {error && <span className="field-error" role="alert">{error}</span>}
    </form>
  );
}
