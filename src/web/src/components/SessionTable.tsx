import type { Session } from '../api/types';
import { formatDateTime, shortId } from '../format';

interface Props {
  sessions: Session[];
  canEnd: boolean;
  ending: ReadonlySet<string>;
  onEnd(id: string): void;
}

/** The sessions list; open sessions can be ended by staff. */
export function SessionTable({ sessions, canEnd, ending, onEnd }: Props) {
  if (sessions.length === 0) return <p className="empty" data-testid="sessions-empty">No sessions match.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="sessions-table">
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Channel</th>
            <th scope="col">Status</th>
            <th scope="col">Flow</th>
            <th scope="col">Language</th>
            <th scope="col">Created</th>
            <th scope="col">Expires / ended</th>
            {canEnd && <th scope="col"><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const open = s.status === 'created' || s.status === 'active';
            return (
              <tr key={s.id} data-testid={`session-${s.id}`} data-status={s.status}>
                <th scope="row"><code title={s.id}>{shortId(s.id)}</code></th>
                <td>{s.channel}</td>
                <td><span className={`pill pill-status-${s.status}`} data-testid="session-status">{s.status}</span></td>
                <td>{s.flow ?? <span className="muted">—</span>}</td>
                <td>{s.language}</td>
                <td><time dateTime={s.createdAt}>{formatDateTime(s.createdAt)}</time></td>
                <td>{s.endedAt ? <span title={s.endReason ?? undefined}>{formatDateTime(s.endedAt)}</span> : formatDateTime(s.expiresAt)}</td>
                {canEnd && (
                  <td className="actions">
                    {open && (
                      <button type="button" className="button button-danger button-small" disabled={ending.has(s.id)}
                        aria-label={`End session ${shortId(s.id)}`} onClick={() => onEnd(s.id)}>
                        {ending.has(s.id) ? 'Ending…' : 'End'}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
