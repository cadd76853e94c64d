import { AGENT_TRANSFER_EVENT } from '../../../contracts/calls';
import { formatDuration, type TimelineEntry } from './call-model';

function describe(entry: TimelineEntry): string {
  const d = entry.data;
  // Who took the call over or handed it back, flow steps and tool calls read as sentences; the rest as key: value.
  if (entry.type === 'takeover') return `${String(d['by'] ?? 'someone')} paused the AI and took over`;
  if (entry.type === 'handback') return `${String(d['by'] ?? 'someone')} handed the call back to the AI`;
  if (entry.type === AGENT_TRANSFER_EVENT) return `${String(d['by'] ?? 'someone')} transferred the call to ${String(d['toName'] ?? 'an agent')} (on hold until they take it)`;
  if (entry.type === 'provider.switched') return `${String(d['from'] ?? '?')} → ${String(d['to'] ?? '?')}${d['reason'] ? ` (${String(d['reason'])})` : ''}`;
  if (entry.type === 'state') return `${String(d['from'] ?? '·')} → ${String(d['to'] ?? '?')}${d['cause'] ? ` (${String(d['cause'])}${d['source'] ? `, by ${String(d['source'])}` : ''})` : ''}`;
  const keys = Object.keys(d);
  return keys.length === 0 ? '' : keys.map((k) => `${k}: ${typeof d[k] === 'object' ? JSON.stringify(d[k]) : String(d[k])}`).join(', ');
}

/** Flow steps, tool calls and takeovers stand out in the list. */
const KIND_CLASS = (type: string) => /^(flow\.|tool|ai\.tool_)/.test(type) ? ' timeline-step' : type === 'takeover' || type === 'handback' || type === AGENT_TRANSFER_EVENT ? ' timeline-human' : '';

/** Everything that happened on the call, with the offset from its start. */
export function CallTimeline({ entries, startedAt }: { entries: TimelineEntry[]; startedAt: string }) {
  if (entries.length === 0) return <p className="empty">No events yet.</p>;
  const start = Date.parse(startedAt);
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e, i) => (
        <li key={`${e.at}-${i}`} className={`timeline-entry${KIND_CLASS(e.type)}`} data-type={e.type}>
          <time dateTime={e.at} title={new Date(e.at).toLocaleString()}>+{formatDuration(Date.parse(e.at) - start)}</time>
          <code>{e.type}</code>
          <span className="muted">{describe(e)}</span>
        </li>
      ))}
    </ol>
  );
}
