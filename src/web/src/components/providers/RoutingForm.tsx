import { useEffect, useState, type FormEvent } from 'react';
import { api, type ResponseOf } from '../../api/client';
import { formatDateTime } from '../../format';
import { ErrorMessage } from '../ErrorMessage';

type Routing = ResponseOf<'getProviderRouting'>;
type Policy = Routing['policy'];
type Entry = { name: string; priority: number; weight: number; enabled: boolean };

const POLICIES: { value: Policy; label: string; help: string }[] = [
  { value: 'priority', label: 'Priority', help: 'The healthy provider with the lowest priority number answers; the next takes over when it fails.' },
  { value: 'lowest_latency', label: 'Lowest latency', help: 'The healthy provider with the lowest recent latency answers.' },
  { value: 'round_robin', label: 'Round robin', help: 'Healthy providers take turns.' },
  { value: 'weighted', label: 'Weighted', help: 'Healthy providers are picked at random in proportion to their weight.' },
];

const entries = (routing: Routing): Entry[] => routing.providers.map(({ name, priority, weight, enabled }) => ({ name, priority, weight, enabled }));

/** The tenant's routing across AI providers: the policy, and per provider enabled, priority and weight (admins edit). */
export function RoutingForm({ canEdit }: { canEdit: boolean }) {
  const [routing, setRouting] = useState<Routing | null>(null);
  const [policy, setPolicy] = useState<Policy>('priority');
  const [providers, setProviders] = useState<Entry[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const apply = (next: Routing) => { setRouting(next); setPolicy(next.policy); setProviders(entries(next)); };

  useEffect(() => {
    const controller = new AbortController();
    api.call('getProviderRouting', { signal: controller.signal }).then(apply, (err: unknown) => { if (!controller.signal.aborted) setError(err); });
    return () => controller.abort();
  }, []);

  if (!routing) return error ? <ErrorMessage error={error} /> : <p className="muted" role="status">Loading routing…</p>;
  const changed = policy !== routing.policy || JSON.stringify(providers) !== JSON.stringify(entries(routing));
  const update = (name: string, patch: Partial<Entry>) => setProviders((list) => list.map((p) => (p.name === name ? { ...p, ...patch } : p)));
  const whole = (value: number, fallback: number) => (Number.isFinite(value) ? Math.max(0, Math.min(1000, Math.round(value))) : fallback);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      apply(await api.call('putProviderRouting', { body: { policy, providers } }));
      setNotice('Routing saved; new calls use it.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const health = new Map(routing.providers.map((p) => [p.name, p]));
  const locked = !canEdit || busy;
  return (
    <form className="card" onSubmit={(e) => void save(e)} aria-labelledby="routing-title" data-testid="routing-form" data-policy={routing.policy}>
      <div className="card-head">
        <h2 id="routing-title">Routing policy</h2>
        <span className="muted small" data-testid="routing-source">
          {routing.source === 'tenant' ? `Set by ${routing.updatedBy?.replace(/^user:/, '') ?? 'an admin'}, ${formatDateTime(routing.updatedAt)}` : routing.source === 'scenario' ? 'From the demo scenario' : 'Default order'}
        </span>
      </div>
      <div className="form-row">
        <div className="field routing-policy">
          <label htmlFor="routing-policy">Policy</label>
          <select id="routing-policy" value={policy} onChange={(e) => setPolicy(e.target.value as Policy)} aria-describedby="routing-policy-help" disabled={locked}>
            {POLICIES.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </div>
        {canEdit && <button type="submit" className="button button-primary" disabled={busy || !changed}>{busy ? 'Saving…' : 'Save routing'}</button>}
      </div>
      <p id="routing-policy-help" className="muted small">{POLICIES.find((p) => p.value === policy)?.help}</p>
      <div className="table-wrap">
        <table className="table" data-testid="routing-providers">
          <thead><tr><th scope="col">Provider</th><th scope="col">Enabled</th><th scope="col">Priority</th><th scope="col">Weight</th><th scope="col">Status</th><th scope="col">Breaker</th></tr></thead>
          <tbody>
            {providers.map((p) => {
              const h = health.get(p.name);
              return (
                <tr key={p.name} data-testid={`routing-${p.name}`} data-enabled={p.enabled}>
                  <th scope="row">{p.name}</th>
                  <td><input type="checkbox" checked={p.enabled} disabled={locked} aria-label={`Use ${p.name}`} onChange={(e) => update(p.name, { enabled: e.target.checked })} /></td>
                  <td><input type="number" className="percent" min={0} max={1000} step={1} value={p.priority} disabled={locked || policy !== 'priority'}
                    aria-label={`Priority of ${p.name}`} onChange={(e) => update(p.name, { priority: whole(e.target.valueAsNumber, p.priority) })} /></td>
                  <td><input type="number" className="percent" min={0} max={1000} step={1} value={p.weight} disabled={locked || policy !== 'weighted'}
                    aria-label={`Weight of ${p.name}`} onChange={(e) => update(p.name, { weight: whole(e.target.valueAsNumber, p.weight) })} /></td>
                  <td>{h ? <span className={`pill pill-health-${h.status}`}>{h.status}</span> : '—'}</td>
                  <td>{h ? <span className={`pill pill-breaker-${h.breaker}`}>{h.breaker.replace('_', '-')}</span> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {notice && <p className="alert alert-success" role="status" data-testid="routing-saved">{notice}</p>}
      <ErrorMessage error={error} />
    </form>
  );
}
