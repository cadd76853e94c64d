import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import { useSoftphone } from '../audio/softphone';
import { CallBoard } from '../components/CallBoard';
import { CallFilters, type CallFilterValue } from '../components/CallFilters';
import { AGENT_TRANSFER_EVENT } from '../../../contracts/calls';
import { applyCallEvent, callIdOf, isLive, LIVE_STATES, seesCall, turnOf, type Call, type Speaker } from '../components/call-model';
import { ErrorMessage } from '../components/ErrorMessage';
import { SoftphonePanel } from '../components/SoftphonePanel';
import { useLatest } from '../latest';
import { useLiveEvent } from '../live';
import { useAuth } from '../auth';

const PAGE_SIZE = 20;
/** A speaking indicator lasts this long after the last transcript event of the call. */
const SPEAKING_MS = 2000;

/** The live board (from the event socket, no refresh button) and the recent ended calls below it. */
export function CallsPage() {
  const phone = useSoftphone();
  const { principal } = useAuth();
  const [filters, setFilters] = useState<CallFilterValue>({});
  const [live, setLive] = useState<ReadonlyMap<string, Call>>(new Map());
  const [liveLoaded, setLiveLoaded] = useState(false);
  const [ended, setEnded] = useState<Call[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [speaking, setSpeaking] = useState<Record<string, { speaker: Speaker; until: number }>>({});
  const [now, setNow] = useState(() => Date.now());
  const [showPhone, setShowPhone] = useState(phone.status === 'in-call' || phone.status === 'connecting');
  const gone = useRef(new Set<string>());
  const shown = useRef(PAGE_SIZE);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // Active calls: one page per live state, merged with what events already told us.
  const loadLive = useLatest(
    () => Promise.all(LIVE_STATES.map((state) => api.call('listCalls', { query: { state, limit: 200 } }))),
    (pages) => {
      setLive((prev) => {
        const next = new Map(prev);
        for (const call of pages.flatMap((p) => p.items)) if (!gone.current.has(call.id) && !next.has(call.id)) next.set(call.id, call);
        return next;
      });
      setLiveLoaded(true);
    },
    setError,
  );
  useEffect(() => { void loadLive(); }, [loadLive]);

  const terminalFilter = filters.state && !isLive(filters.state) ? filters.state : undefined;
  const wantsEnded = !filters.state || terminalFilter;
  const loadEnded = useLatest(
    () => api.call('listCalls', { query: { ...(terminalFilter ? { state: terminalFilter } : {}), ...(filters.direction ? { direction: filters.direction } : {}), limit: Math.min(200, shown.current) } }),
    (page) => { setEnded(page.items.filter((c) => !isLive(c.state))); setCursor(page.nextCursor); setError(null); },
    setError,
  );
  useEffect(() => {
    shown.current = PAGE_SIZE;
    setEnded(null);
    void loadEnded();
  }, [loadEnded, terminalFilter, filters.direction]);

  const endedTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => { if (endedTimer.current) clearTimeout(endedTimer.current); }, []);

  useLiveEvent('call.', (event) => {
    const id = callIdOf(event);
    if (!id) return;
    if (event.type === 'call.transcript') {
      const turn = turnOf(event);
      if (turn) setSpeaking((prev) => ({ ...prev, [id]: { speaker: turn.speaker, until: Date.now() + SPEAKING_MS } }));
      return;
    }
    // Transferred to me: the call just entered my scope, so the board fetches it (its earlier events never came here).
    if (event.type === 'call.event' && event.data['type'] === AGENT_TRANSFER_EVENT) {
      const data = (event.data['data'] ?? {}) as Record<string, unknown>;
      if (principal.user && data['toUserId'] === principal.user.id) {
        void api.call('getCall', { params: { id } }).then((call) => {
          setLive((prev) => (gone.current.has(id) || !isLive(call.state) ? prev : new Map(prev).set(id, call)));
        }, setError);
        return;
      }
    }
    const boardEvent = event.type === 'call.event' && [AGENT_TRANSFER_EVENT, 'takeover', 'handback'].includes(String(event.data['type']));
    if (event.type !== 'call.started' && event.type !== 'call.state' && event.type !== 'call.ended' && !boardEvent) return;
    setLive((prev) => {
      if (gone.current.has(id)) return prev;
      const call = applyCallEvent(prev.get(id), event);
      if (!call) return prev;
      const next = new Map(prev);
      if (!isLive(call.state)) { next.delete(id); gone.current.add(id); }
      else if (seesCall(principal, call)) next.set(id, call);
      else next.delete(id); // transferred or taken over away from me: it may come back (not gone)
      return next;
    });
    if (event.type === 'call.ended' || (event.type === 'call.state' && !isLive((event.data['to'] as Call['state'] | undefined) ?? 'ringing'))) {
      if (endedTimer.current) clearTimeout(endedTimer.current);
      endedTimer.current = setTimeout(() => { endedTimer.current = null; void loadEnded(); }, 250);
    }
  });

  // An admin changed my queues: which calls I see changed, so the board starts over from the server.
  useLiveEvent('user.queues_changed', (event) => {
    if (!principal.user || event.data['userId'] !== principal.user.id) return;
    gone.current.clear();
    setLive(new Map());
    void loadLive();
    void loadEnded();
  });

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.call('listCalls', { query: { ...(terminalFilter ? { state: terminalFilter } : {}), ...(filters.direction ? { direction: filters.direction } : {}), limit: PAGE_SIZE, cursor } });
      setEnded((prev) => {
        const seen = new Set((prev ?? []).map((c) => c.id));
        const next = [...(prev ?? []), ...page.items.filter((c) => !isLive(c.state) && !seen.has(c.id))];
        shown.current += PAGE_SIZE;
        return next;
      });
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const board = useMemo(() => [...live.values()]
    .filter((c) => (!filters.state || c.state === filters.state) && (!filters.direction || c.direction === filters.direction))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt)), [live, filters]);
  const speakingNow = useMemo(() => Object.fromEntries(Object.entries(speaking).filter(([, s]) => s.until > now).map(([id, s]) => [id, s.speaker])), [speaking, now]);

  return (
    <div className="stack">
      <section className="card" aria-labelledby="board-title">
        <div className="card-head">
          <h2 id="board-title">Live calls <span className="badge" data-testid="live-count">{board.length}</span></h2>
          <div className="card-tools">
            <CallFilters value={filters} onChange={setFilters} />
            <button type="button" className="button button-secondary" aria-expanded={showPhone} aria-controls="softphone-slot" onClick={() => setShowPhone((v) => !v)}>
              {showPhone ? 'Hide softphone' : 'Softphone'}
            </button>
          </div>
        </div>
        <div id="softphone-slot">{showPhone && <SoftphonePanel />}</div>
        <ErrorMessage error={error} />
        {!liveLoaded && board.length === 0
          ? <p className="muted" role="status">Loading calls…</p>
          : <CallBoard calls={board} now={now} speaking={speakingNow} testId="live-calls" empty="No active calls right now; they appear here as they start." />}
      </section>
      <section className="card" aria-labelledby="recent-title">
        <div className="card-head"><h2 id="recent-title">Recent calls</h2></div>
        {!wantsEnded
          ? <p className="empty">The state filter shows live calls only.</p>
          : ended === null
            ? <p className="muted" role="status">Loading recent calls…</p>
            : <CallBoard calls={ended} now={now} speaking={{}} testId="recent-calls" empty="No ended calls match." ended />}
        {wantsEnded && cursor && (
          <div className="load-more">
            <button type="button" className="button button-secondary" disabled={loadingMore} onClick={() => void loadMore()}>
              {loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
