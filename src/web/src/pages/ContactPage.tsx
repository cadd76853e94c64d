import { useEffect, useMemo, useRef, useState } from 'react';
import { callStateSchema } from '../../../contracts/calls';
import { callStartedData, type DomainEvent } from '../../../contracts/events';
import type { ContactTimeline } from '../../../contracts/widget';
import { api, ApiError } from '../api/client';
import { callIdOf, formatDuration, SPEAKERS, speakerLabel, turnOf, type Speaker } from '../components/call-model';
import { CallStatePill } from '../components/CallStatePill';
import { ErrorMessage } from '../components/ErrorMessage';
import { Link } from '../components/Link';
import { formatDateTime, shortId } from '../format';
import { useLatest } from '../latest';
import { useLiveEvent } from '../live';

type Entry = ContactTimeline['entries'][number];
type CallEntry = Extract<Entry, { kind: 'call' }>['call'];

/** Chat lines are minutes apart at most: the time (with seconds) reads better than the full date on each. */
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
const AUTHORS: Record<string, string> = { visitor: 'Visitor', agent: 'Agent', system: 'System' };
const TURN_CLASS: Record<string, string> = { visitor: 'turn-caller', agent: 'turn-agent' };
const asSpeaker = (s: string): Speaker => (SPEAKERS as readonly string[]).includes(s) ? (s as Speaker) : 'agent';

/**
 * One contact across channels (a web widget visitor): their chat messages and calls in one list, in the order
 * they happened, each call with its transcript and a link to the call. Follows new messages and the calls' changes live.
 */
export function ContactPage({ id }: { id: string }) {
  const [timeline, setTimeline] = useState<ContactTimeline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useLatest(() => api.call('contactTimeline', { params: { id } }), (t) => { setTimeline(t); setError(null); }, setError);
  useEffect(() => { setTimeline(null); void load(); }, [id, load]);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
  const reloadSoon = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => { timer.current = null; void load(); }, 200);
  };
  const callIds = useMemo(() => new Set(timeline?.entries.flatMap((e) => (e.kind === 'call' ? [e.call.id] : [])) ?? []), [timeline]);
  useLiveEvent('conversation.message', (event) => { if (event.data['contactId'] === id) reloadSoon(); });
  useLiveEvent('call.', (event) => {
    const callId = callIdOf(event);
    // A new call of this contact and the final lines of its calls are added from the event; other changes reload.
    if (event.type === 'call.started' || event.type === 'call.transcript') setTimeline((t) => (t ? withLiveCall(t, event, id) : t));
    else if (callId && callIds.has(callId)) reloadSoon();
  });

  if (error instanceof ApiError && error.status === 404) {
    return <div className="stack"><p className="empty">This contact does not exist. <Link to="/calls">Back to calls</Link></p></div>;
  }
  if (!timeline) return <div className="stack"><ErrorMessage error={error} />{!error && <p className="muted" role="status">Loading the contact…</p>}</div>;

  const messages = timeline.entries.filter((e) => e.kind === 'message').length;
  return (
    <div className="stack" data-testid="contact-view">
      <p><Link to="/calls">← All calls</Link></p>
      <dl className="summary" aria-label="Contact">
        <div><dt>Contact</dt><dd title={timeline.contactId}>{shortId(timeline.contactId)}</dd></div>
        <div><dt>First seen</dt><dd>{formatDateTime(timeline.createdAt)}</dd></div>
        <div><dt>Chat messages</dt><dd>{messages}</dd></div>
        <div><dt>Calls</dt><dd>{callIds.size}</dd></div>
      </dl>
      <ErrorMessage error={error} />
      <section className="card" aria-labelledby="contact-timeline-title">
        <h2 id="contact-timeline-title">Chat and calls</h2>
        {timeline.entries.length === 0
          ? <p className="empty">Nothing yet.</p>
          : (
            <ol className="contact-timeline" data-testid="contact-timeline" aria-labelledby="contact-timeline-title">
              {timeline.entries.map((e) => (e.kind === 'message'
                ? (
                  <li key={`m-${e.message.seq}`} className={`turn ${TURN_CLASS[e.message.author] ?? ''}`} data-kind="message" data-author={e.message.author}>
                    <span className="turn-meta">
                      <span className="turn-speaker">{AUTHORS[e.message.author] ?? e.message.author}</span>
                      <span className="turn-time">Chat, <time dateTime={e.at} title={formatDateTime(e.at)}>{clock.format(new Date(e.at))}</time></span>
                    </span>
                    <span className="turn-text">{e.message.text}</span>
                  </li>
                )
                : <CallItem key={`c-${e.call.id}`} call={e.call} />))}
            </ol>
          )}
      </section>
    </div>
  );
}

/**
 * The timeline with a live call event applied: `call.started` of a call of this contact (its `contactId`) adds the
 * call in time order; a final `call.transcript` line of a listed call is added to its transcript. Else unchanged.
 */
export function withLiveCall(timeline: ContactTimeline, event: DomainEvent, contactId: string): ContactTimeline {
  const callId = callIdOf(event);
  if (!callId) return timeline;
  const listed = timeline.entries.some((e) => e.kind === 'call' && e.call.id === callId);
  if (event.type === 'call.started') {
    const started = callStartedData.safeParse(event.data);
    if (!started.success || started.data.contactId !== contactId || listed) return timeline;
    const entry: Entry = { kind: 'call', at: event.at, call: { id: callId, state: started.data.state, startedAt: event.at, endedAt: null, transcript: [] } };
    const entries = [...timeline.entries, entry].sort((a, b) => a.at.localeCompare(b.at));
    return { ...timeline, entries };
  }
  const turn = event.type === 'call.transcript' ? turnOf(event) : null;
  if (!turn?.final || !listed) return timeline;
  // A reload may already have brought this line.
  const known = (e: Entry) => e.kind === 'call' && e.call.id === callId && e.call.transcript.some((t) => t.startMs === turn.startMs && t.text === turn.text);
  if (timeline.entries.some(known)) return timeline;
  const line = { speaker: turn.speaker, text: turn.text, startMs: turn.startMs, endMs: turn.endMs };
  return {
    ...timeline,
    entries: timeline.entries.map((e) => (e.kind === 'call' && e.call.id === callId
      ? { ...e, call: { ...e.call, transcript: [...e.call.transcript, line].sort((a, b) => a.startMs - b.startMs) } }
      : e)),
  };
}

/** A call in the contact's timeline: when, how it went, what was said. */
function CallItem({ call }: { call: CallEntry }) {
  const headingId = `contact-call-${call.id}`;
  const state = callStateSchema.safeParse(call.state);
  const lasted = call.endedAt ? Date.parse(call.endedAt) - Date.parse(call.startedAt) : null;
  return (
    <li className="card contact-call" data-kind="call" data-call-id={call.id} aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>Call, <time dateTime={call.startedAt}>{formatDateTime(call.startedAt)}</time>{lasted !== null && <>, {formatDuration(lasted)}</>}</h3>
        <span>{state.success ? <CallStatePill state={state.data} /> : call.state} <Link to={`/calls/${call.id}`}>Open the call</Link></span>
      </div>
      {call.transcript.length === 0
        ? <p className="empty">Nothing said on this call.</p>
        : (
          <ol className="transcript" aria-label="What was said on the call">
            {call.transcript.map((t, i) => (
              <li key={`${t.startMs}-${i}`} className={`turn turn-${asSpeaker(t.speaker)}`}>
                <span className="turn-meta">
                  <span className="turn-speaker">{speakerLabel(asSpeaker(t.speaker))}</span>
                  <span className="turn-time">{formatDuration(t.startMs)}</span>
                </span>
                <span className="turn-text">{t.text}</span>
              </li>
            ))}
          </ol>
        )}
    </li>
  );
}
