import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { FlagsData, ScenarioName, ScenariosData } from '../api/types';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { FlagTable } from '../components/FlagTable';
import { ScenarioSwitcher } from '../components/ScenarioSwitcher';
import { useLatest } from '../latest';
import { useLiveEvent } from '../live';

/** Effective feature flags with their sources, tenant overrides and the demo scenario switcher. */
export function FlagsPage() {
  const { principal } = useAuth();
  const isAdmin = principal.role === 'admin';
  const [data, setData] = useState<{ flags: FlagsData; scenarios: ScenariosData } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [switching, setSwitching] = useState<ScenarioName | 'none' | null>(null);

  const load = useLatest(
    async () => {
      const [flags, scenarios] = await Promise.all([api.call('listFlags'), api.call('listScenarios')]);
      return { flags, scenarios };
    },
    (value) => { setData(value); setError(null); },
    setError,
  );
  useEffect(() => { void load(); }, [load]);
  useLiveEvent('flags.', () => { void load(); });

  const switchScenario = async (scenario: ScenarioName | null) => {
    setSwitching(scenario ?? 'none');
    setError(null);
    try {
      await api.call('setScenario', { body: { scenario } });
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setSwitching(null);
    }
  };

  if (!data) return error ? <ErrorMessage error={error} /> : <p className="muted" role="status">Loading flags…</p>;
  const { flags, scenarios } = data;
  const onCount = flags.flags.filter((f) => f.enabled).length;
  const active = scenarios.scenarios.find((s) => s.name === scenarios.active);

  return (
    <div className="stack">
      <ErrorMessage error={error} />
      <dl className="summary" aria-label="Flag summary">
        <div><dt>Environment</dt><dd><span className={`badge badge-env-${flags.environment}`} data-testid="environment">{flags.environment}</span></dd></div>
        <div><dt>Scenario</dt><dd data-testid="active-scenario">{active?.title ?? 'None'}</dd></div>
        <div><dt>Flags on</dt><dd data-testid="flags-on-count">{onCount} of {flags.flags.length}</dd></div>
      </dl>
      <ScenarioSwitcher scenarios={scenarios} canEdit={isAdmin} switching={switching} onSwitch={(s) => void switchScenario(s)} />
      <FlagTable flags={flags.flags} canEdit={isAdmin} onChanged={() => void load()} />
    </div>
  );
}
