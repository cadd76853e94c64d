import type { FlowVersionSummary } from '../../api/admin-types';
import { formatDateTime } from '../../format';

interface Props {
  versions: FlowVersionSummary[];
  selected: number | null;
  onSelect(version: number): void;
}

/** A flow's versions, newest first; one is opened in the editor. */
export function FlowVersions({ versions, selected, onSelect }: Props) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="flow-versions">
        <thead>
          <tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">By</th><th scope="col">Created</th><th scope="col"><span className="visually-hidden">Open</span></th></tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} data-testid={`flow-version-${v.version}`} data-status={v.status} data-live={v.live} aria-current={v.version === selected ? 'true' : undefined}>
              <th scope="row">v{v.version}</th>
              <td>
                <span className={v.status === 'published' ? 'pill pill-on' : 'pill pill-off'}>{v.status}</span>
                {v.live && <span className="badge badge-live"> live</span>}
              </td>
              <td className="small" title={v.createdBy}>{v.createdBy.replace(/^user:/, '').replace(/@.*$/, '')}</td>
              <td className="small">{formatDateTime(v.createdAt)}</td>
              <td className="actions">
                <button type="button" className="button button-small button-ghost" disabled={v.version === selected} onClick={() => onSelect(v.version)}
                  aria-label={`Open version ${v.version}`}>{v.version === selected ? 'Opened' : 'Open'}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
