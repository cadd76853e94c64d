import type { KeyboardEvent } from 'react';
import { useAuth } from '../auth';
import { navigate } from '../router';
import { shortId } from '../format';
import { callDuration, formatDuration, type Call, type Speaker } from './call-model';
import { CallStatePill } from './CallStatePill';
import { Link } from './Link';
import { SpeakingIndicator } from './SpeakingIndicator';

interface Props {
  calls: Call[];
  now: number;
  speaking: Readonly<Record<string, Speaker>>;
  testId: string;
  empty: string;
  /** Recent (ended) calls show when they ended instead of who is speaking. */
  ended?: boolean;
}

/** A table of calls; a row opens the call view. */
export function CallBoard({ calls, now, speaking, testId, empty, ended = false }: Props) {
  const me = useAuth().principal.user?.id ?? null;
  if (calls.length === 0) return <p className="empty" data-testid={`${testId}-empty`}>{empty}</p>;
  const open = (id: string) => navigate(`/calls/${id}`);
  const onKey = (event: KeyboardEvent, id: string) => { if (event.key === 'Enter') open(id); };
  return (
    <div className="table-wrap">
      <table className="table table-clickable" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Caller</th>
            <th scope="col">Number</th>
            <th scope="col">Agent / flow</th>
            <th scope="col">Queue</th>
            <th scope="col">Carrier</th>
            <th scope="col">Direction</th>
            <th scope="col">State</th>
            <th scope="col">Duration</th>
            <th scope="col">{ended ? 'Ended' : 'Speaking'}</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id} data-testid={`call-${c.id}`} data-state={c.state} onClick={() => open(c.id)} onKeyDown={(e) => onKey(e, c.id)}>
              <th scope="row"><Link to={`/calls/${c.id}`} title={c.id} onClick={(e) => e.stopPropagation()}>{c.from || shortId(c.id)}</Link></th>
              <td>{c.to}</td>
              <td>{c.agentKind}{c.aiPaused && <span className="muted" data-testid="taken-over"> · person</span>}</td>
              <td>{c.queue}</td>
              <td>{c.carrier}</td>
              <td>{c.direction}</td>
              <td>
                <CallStatePill state={c.state} />
                {!ended && c.awaitingAssignee && (c.assigneeUserId === me
                  ? <> <span className="badge badge-on" data-testid="awaiting-you">Waiting for you</span></>
                  : <span className="muted" data-testid="awaiting-agent"> · transferred to an agent</span>)}
              </td>
              <td className="num" data-testid="call-duration">{formatDuration(callDuration(c, now))}</td>
              <td>{ended
                ? <span title={c.hangupCause ?? undefined}>{c.endedAt ? new Date(c.endedAt).toLocaleTimeString() : '—'}</span>
                : <SpeakingIndicator speaker={speaking[c.id] ?? null} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
