import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api/client';
import { CallControls } from '../components/CallControls';
import { CallProvider } from '../components/CallProvider';
import { CallSupervision } from '../components/CallSupervision';
import { callDuration, callIdOf, formatDuration, isLive, turnOf, type Call, type CallDetail, type LiveTurn, type Segment, type Speaker } from '../components/call-model';
import { CallStatePill } from '../components/CallStatePill';
import { CallTimeline } from '../components/CallTimeline';
import { CallTranscript } from '../components/CallTranscript';
import { ErrorMessage } from '../components/ErrorMessage';
import { Link } from '../components/Link';
import { RecordingPlayer, type RecordingPlayerHandle } from '../components/RecordingPlayer';
import { formatDateTime } from '../format';
import { useLatest } from '../latest';
import { useLiveEvent } from '../live';

const segmentKey = (s: Pick<Segment, 'speaker' | 'startMs' | 'text'>) => `${s.speaker}|${s.startMs}|${s.text}`;

/** One call: header, live transcript, timeline, controls; for ended calls the recording with its waveform. */
export function CallViewPage({ id }: { id: string }) {
  const [detail, setDetail] = useState<CallDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [liveFinals, setLiveFinals] = useState<Segment[]>([]);
  const [partials, setPartials] = useState<Partial<Record<Speaker, LiveTurn>>>({});
  const [playhead, setPlayhead] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const player = useRef<RecordingPlayerHandle | null>(null);

  const load = useLatest(() => api.call('getCall', { params: { id } }), (d) => { setDetail(d); setError(null); }, setError);
  useEffect(() => { setDetail(null); setLiveFinals([]); setPartials({}); void load(); }, [id, load]);

  const live = detail ? isLive(detail.state) : false;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
  const reloadSoon = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => { timer.current = null; void load(); }, 150);
  };

  useLiveEvent('call.', (event) => {
    if (callIdOf(event) !== id) return;
    if (event.type === 'call.transcript') {
      const turn = turnOf(event);
      if (!turn) return;
      if (!turn.final) { setPartials((prev) => ({ ...prev, [turn.speaker]: turn })); return; }
      setPartials((prev) => ({ ...prev, [turn.speaker]: undefined }));
      setLiveFinals((prev) => [...prev, { speaker: turn.speaker, text: turn.text, startMs: turn.startMs, endMs: turn.endMs, createdAt: event.at }]);
      return;
    }
    if (event.type === 'call.state' && typeof event.data['to'] === 'string') {
      setDetail((prev) => (prev ? { ...prev, state: event.data['to'] as Call['state'] } : prev));
    }
    reloadSoon();
  });

  const transcript = useMemo(() => {
    if (!detail) return [];
    const seen = new Set(detail.transcript.map(segmentKey));
    return [...detail.transcript, ...liveFinals.filter((s) => !seen.has(segmentKey(s)))].sort((a, b) => a.startMs - b.startMs);
  }, [detail, liveFinals]);

  if (error instanceof ApiError && error.status === 404) {
    return <div className="stack"><p className="empty">This call does not exist. <Link to="/calls">Back to calls</Link></p></div>;
  }
  if (!detail) return <div className="stack"><ErrorMessage error={error} />{!error && <p className="muted" role="status">Loading the call…</p>}</div>;

  return (
    <div className="stack" data-testid="call-view" data-state={detail.state}>
      <p><Link to="/calls">← All calls</Link>
        {typeof detail.metadata['contactId'] === 'string' && <> · <Link to={`/contacts/${detail.metadata['contactId']}`}>Contact: chat and calls</Link></>}</p>
      <dl className="summary" aria-label="Call">
        <div><dt>State</dt><dd><CallStatePill state={detail.state} /></dd></div>
        <div><dt>Duration</dt><dd data-testid="call-view-duration">{formatDuration(callDuration(detail, now))}</dd></div>
        <div><dt>Carrier</dt><dd>{detail.carrier}</dd></div>
        <div><dt>Agent / flow</dt><dd>{detail.agentKind}</dd></div>
        <div><dt>From → to</dt><dd>{detail.from} → {detail.to}</dd></div>
        <div><dt>Direction</dt><dd>{detail.direction}</dd></div>
        <div><dt>Queue</dt><dd>{detail.queue}</dd></div>
        <div><dt>Started</dt><dd>{formatDateTime(detail.startedAt)}</dd></div>
        {detail.hangupCause && <div><dt>Ended by</dt><dd>{detail.hangupSource ?? '—'} ({detail.hangupCause})</dd></div>}
      </dl>
      <ErrorMessage error={error} />
      {live && <CallControls call={detail} onChanged={(c) => { setDetail((prev) => (prev ? { ...prev, ...c } : prev)); reloadSoon(); }} />}
      {live && <CallSupervision call={detail} onChanged={reloadSoon} />}
      <CallProvider call={detail} live={live} onChanged={reloadSoon} />
      {!live && detail.recordingUrl && (
        <RecordingPlayer ref={player} url={detail.recordingUrl} callId={detail.id} onTime={setPlayhead} />
      )}
      {!live && !detail.recordingUrl && <p className="muted" data-testid="no-recording">No recording for this call.</p>}
      <div className="call-columns">
        <section className="card" aria-labelledby="transcript-title">
          <h2 id="transcript-title">Transcript</h2>
          <CallTranscript segments={transcript} partials={partials} playheadMs={live ? null : playhead}
            {...(!live && detail.recordingUrl ? { onSeek: (ms: number) => player.current?.seek(ms) } : {})} />
        </section>
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <CallTimeline entries={detail.timeline} startedAt={detail.startedAt} />
        </section>
      </div>
    </div>
  );
}
