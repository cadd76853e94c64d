import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { CreatedSession, Session } from '../api/types';
import { useAuth } from '../auth';
import { CreatedSessionCard } from '../components/CreatedSessionCard';
import { ErrorMessage } from '../components/ErrorMessage';
import { NewSessionForm } from '../components/NewSessionForm';
import { SessionFilters, type Filters } from '../components/SessionFilters';
import { SessionTable } from '../components/SessionTable';
import { useLatest } from '../latest';
import { useLiveEvent } from '../live';

const PAGE_SIZE = 25;
const MAX_LIMIT = 200;

/** Conversation sessions: filter, page through, create and end; refreshed by live session events. */
export function SessionsPage() {
  const { principal } = useAuth();
  const isStaff = principal.role !== 'analyst';
  const [filters, setFilters] = useState<Filters>({});
  const [items, setItems] = useState<Session[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedSession | null>(null);
  const [ending, setEnding] = useState<ReadonlySet<string>>(new Set());
  const shown = useRef(PAGE_SIZE);

  // A refresh reloads as many rows as are shown, so "Load more" pages survive live updates.
  const refresh = useLatest(
    () => api.call('listSessions', { query: { ...filters, limit: Math.min(MAX_LIMIT, Math.max(PAGE_SIZE, shown.current)) } }),
    (page) => { setItems(page.items); setCursor(page.nextCursor); setError(null); },
    setError,
  );

  useEffect(() => {
    shown.current = PAGE_SIZE;
    setItems(null);
    void refresh();
  }, [filters, refresh]);

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvent('session.', () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => { timer.current = null; void refresh(); }, 200);
  });
  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.call('listSessions', { query: { ...filters, limit: PAGE_SIZE, cursor } });
      setItems((prev) => {
        const seen = new Set((prev ?? []).map((s) => s.id));
        const next = [...(prev ?? []), ...page.items.filter((s) => !seen.has(s.id))];
        shown.current = next.length;
        return next;
      });
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const end = async (id: string) => {
    setEnding((prev) => new Set(prev).add(id));
    try {
      const session = await api.call('endSession', { params: { id } });
      setItems((prev) => prev?.map((s) => (s.id === id ? session : s)) ?? null);
    } catch (err) {
      setError(err);
    } finally {
      setEnding((prev) => { const next = new Set(prev); next.delete(id); return next; });
    }
  };

  return (
    <div className="stack">
      {isStaff && <NewSessionForm onCreated={(s) => { setCreated(s); void refresh(); }} />}
      {created && <CreatedSessionCard session={created} onDismiss={() => setCreated(null)} />}
      <section className="card" aria-labelledby="sessions-title">
        <div className="card-head">
          <h2 id="sessions-title">Sessions</h2>
          <SessionFilters value={filters} onChange={setFilters} />
        </div>
        <ErrorMessage error={error} />
        {items === null
          ? <p className="muted" role="status">Loading sessions…</p>
          : <SessionTable sessions={items} canEnd={isStaff} ending={ending} onEnd={(id) => void end(id)} />}
        {cursor && (
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
