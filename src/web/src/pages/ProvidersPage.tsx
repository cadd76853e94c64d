import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { ProviderHealth, ProviderSample } from '../api/admin-types';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { LatencyChart } from '../components/providers/LatencyChart';
import { ProviderHealthTable } from '../components/providers/ProviderHealthTable';
import { RoutingForm } from '../components/providers/RoutingForm';
import { useLatest } from '../latest';
import { useLiveEvent } from '../live';

/** Health is sampled by the server; a few seconds between looks keeps the page current without load. */
const POLL_MS = 3000;
const HISTORY = 120;

interface Data { providers: ProviderHealth[]; history: Record<string, ProviderSample[]>; at: number }

/** AI providers: health table, routing policy, latency charts; live (polled, and refreshed on provider events). */
export function ProvidersPage() {
  const { principal } = useAuth();
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useLatest(
    async () => {
      const health = await api.call('getProvidersHealth');
      const history = await Promise.all(health.providers.map((p) =>
        api.call('getProvidersHealthHistory', { query: { provider: p.provider, limit: HISTORY } }).then((h) => [p.provider, h.samples] as const)));
      return { providers: health.providers, history: Object.fromEntries(history), at: Date.now() };
    },
    (value) => { setData(value); setError(null); },
    setError,
  );
  useEffect(() => {
    void load();
    const timer = setInterval(() => { if (!document.hidden) void load(); }, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useLiveEvent('provider.', () => { void load(); });

  if (!data) return error ? <ErrorMessage error={error} /> : <p className="muted" role="status">Loading provider health…</p>;
  return (
    <div className="stack" data-testid="providers-page">
      <section className="card" aria-labelledby="health-title">
        <div className="card-head">
          <h2 id="health-title">Provider health</h2>
          <span className="muted small" role="status" data-testid="health-updated">Updated {new Date(data.at).toLocaleTimeString()} · every {POLL_MS / 1000} s</span>
        </div>
        <ErrorMessage error={error} />
        <ProviderHealthTable providers={data.providers} />
      </section>
      <RoutingForm canEdit={principal.role === 'admin'} />
      <div className="chart-grid-cards">
        {data.providers.map((p) => (
          <section key={p.provider} className="card" aria-labelledby={`latency-${p.provider}`}>
            <h3 id={`latency-${p.provider}`}>{p.provider} latency</h3>
            <LatencyChart provider={p.provider} samples={data.history[p.provider] ?? []} />
          </section>
        ))}
      </div>
    </div>
  );
}
