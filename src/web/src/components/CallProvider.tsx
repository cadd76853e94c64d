import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { allowed, type CallDetail } from './call-model';
import { ErrorMessage } from './ErrorMessage';

type Health = Awaited<ReturnType<typeof fetchHealth>>['providers'][number];
const fetchHealth = () => api.call('getProvidersHealth', {});

/** The AI provider the call runs on: the last switch on the timeline, else what the call started with. */
export function currentProvider(call: CallDetail): string | null {
  for (let i = call.timeline.length - 1; i >= 0; i--) {
    const data = call.timeline[i]!.data;
    if (call.timeline[i]!.type === 'provider.switched' && typeof data['to'] === 'string') return data['to'];
    if (typeof data['provider'] === 'string') return data['provider'];
  }
  const meta = call.metadata['provider'];
  return typeof meta === 'string' ? meta : null;
}

/** Provider and its health (GET providers/health), and a manual switch for live calls (roles the operation allows). */
export function CallProvider({ call, live, onChanged }: { call: CallDetail; live: boolean; onChanged(): void }) {
  const { principal } = useAuth();
  const canSee = allowed('getProvidersHealth', principal.role);
  const canSwitch = live && allowed('switchCallProvider', principal.role);
  const [health, setHealth] = useState<Health[]>([]);
  const [target, setTarget] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!canSee) return;
    let stop = false;
    const load = () => fetchHealth().then((h) => { if (!stop) setHealth(h.providers); }).catch(() => undefined);
    void load();
    const timer = setInterval(load, 10_000);
    return () => { stop = true; clearInterval(timer); };
  }, [canSee]);
  const provider = currentProvider(call);
  const mine = health.find((h) => h.provider === provider);
  const switchTo = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    api.call('switchCallProvider', { params: { id: call.id }, body: { provider: target, reason: 'switched from the console' } })
      .then(() => onChanged(), setError).finally(() => setBusy(false));
  };
  // Calls without an AI provider (echo, voicemail, flows without AI) have nothing to show or switch.
  if (!provider) return null;
  return (
    <section className="card" aria-labelledby="provider-title" data-testid="call-provider">
      <h2 id="provider-title">AI provider</h2>
      <p>
        <strong>{provider ?? 'none'}</strong>
        {mine && <> · <span data-status={mine.status}>{mine.status}</span>{mine.latencyEwmaMs !== null && ` · ${Math.round(mine.latencyEwmaMs)} ms`}</>}
      </p>
      {canSwitch && health.length > 0 && (
        <form className="form-row" onSubmit={switchTo} aria-label="Switch provider">
          <label className="field">
            Switch to
            <select value={target} onChange={(e) => setTarget(e.target.value)} required>
              <option value="">Choose…</option>
              {health.filter((h) => h.provider !== provider).map((h) => <option key={h.provider} value={h.provider}>{h.provider} ({h.status})</option>)}
            </select>
          </label>
          <button type="submit" className="button button-secondary" disabled={busy || !target}>{busy ? 'Switching…' : 'Switch provider'}</button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
