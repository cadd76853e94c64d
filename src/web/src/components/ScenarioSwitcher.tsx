import type { ScenarioName, ScenariosData } from '../api/types';

interface Props {
  scenarios: ScenariosData;
  canEdit: boolean;
  /** The scenario being switched to ('none' when clearing), while the request runs. */
  switching: ScenarioName | 'none' | null;
  onSwitch(scenario: ScenarioName | null): void;
}

/** Demo scenarios: each one's title, description and what it turns on; the active one is marked. */
export function ScenarioSwitcher({ scenarios, canEdit, switching, onSwitch }: Props) {
  return (
    <section className="card" aria-labelledby="scenarios-title">
      <div className="card-head">
        <h2 id="scenarios-title">Demo scenario</h2>
        {canEdit && scenarios.active && (
          <button type="button" className="button button-ghost" disabled={switching !== null} onClick={() => onSwitch(null)}>
            {switching === 'none' ? 'Clearing…' : 'Clear scenario'}
          </button>
        )}
      </div>
      <ul className="scenarios" data-testid="scenarios">
        {scenarios.scenarios.map((s) => {
          const active = s.name === scenarios.active;
          const turnsOn = Object.entries(s.flags).filter(([, v]) => v !== 'off').map(([k]) => k);
          return (
            <li key={s.name} className={active ? 'scenario scenario-active' : 'scenario'} data-testid={`scenario-${s.name}`}
              data-active={active} aria-current={active ? 'true' : undefined}>
              <div className="scenario-head">
                <h3>{s.title}</h3>
                {active && <span className="badge badge-on">Active</span>}
              </div>
              <p>{s.description}</p>
              <p className="muted small">
                Provider {s.providers.primary}{s.providers.fallbacks.length > 0 && ` → ${s.providers.fallbacks.join(', ')}`}
                {turnsOn.length > 0 && <> · turns on {turnsOn.join(', ')}</>}
              </p>
              {canEdit && !active && (
                <button type="button" className="button button-secondary" disabled={switching !== null}
                  aria-label={`Activate scenario ${s.title}`} onClick={() => onSwitch(s.name)}>
                  {switching === s.name ? 'Activating…' : 'Activate'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
