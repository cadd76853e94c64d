import type { Flag } from '../api/types';
import { FlagOverride } from './FlagOverride';

interface Props {
  flags: Flag[];
  canEdit: boolean;
  onChanged(): void;
}

/** Every flag: its effective answer, the value and layer that produced it, and (for admins) the tenant override. */
export function FlagTable({ flags, canEdit, onChanged }: Props) {
  return (
    <section className="card" aria-labelledby="flags-title">
      <div className="card-head"><h2 id="flags-title">Flags</h2></div>
      <div className="table-wrap">
        <table className="table" data-testid="flags-table">
          <thead>
            <tr>
              <th scope="col">Flag</th>
              <th scope="col">State</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col">Stage</th>
              {canEdit && <th scope="col">Tenant override</th>}
            </tr>
          </thead>
          <tbody>
            {flags.map((flag) => (
              <tr key={flag.name} data-testid={`flag-${flag.name}`} data-enabled={flag.enabled} data-source={flag.source}>
                <th scope="row">
                  <code className="flag-name">{flag.name}</code>
                  <div className="muted small">{flag.description}</div>
                </th>
                <td><span className={flag.enabled ? 'pill pill-on' : 'pill pill-off'} data-testid="flag-state">{flag.enabled ? 'On' : 'Off'}</span></td>
                <td><code data-testid="flag-value">{flag.value}</code></td>
                <td><span className={`badge badge-source-${flag.source}`} data-testid="flag-source">{flag.source}</span></td>
                <td><span className="muted">{flag.stage}</span></td>
                {canEdit && (
                  <td><FlagOverride key={`${flag.name}:${flag.tenantOverride ?? ''}`} flag={flag} onSaved={onChanged} /></td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
