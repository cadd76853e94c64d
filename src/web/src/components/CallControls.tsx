import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { allowed, type Call } from './call-model';
import { ErrorMessage } from './ErrorMessage';

/** Hang up and transfer, shown only to roles the operations allow (the server checks again). */
export function CallControls({ call, onChanged }: { call: Call; onChanged(call: Call): void }) {
  const { principal } = useAuth();
  const [busy, setBusy] = useState<'hangup' | 'transfer' | null>(null);
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const canHangup = allowed('hangupCall', principal.role);
  const canTransfer = allowed('transferCall', principal.role) && call.carrier !== 'browser';
  if (!canHangup && !canTransfer) return null;

  const run = async (what: 'hangup' | 'transfer', action: () => Promise<Call>) => {
    setBusy(what);
    setError(null);
    try { onChanged(await action()); } catch (err) { setError(err); } finally { setBusy(null); }
  };
  const transfer = (event: FormEvent) => {
    event.preventDefault();
    void run('transfer', () => api.call('transferCall', { params: { id: call.id }, body: { to: to.trim() } }));
  };

  return (
    <section className="card" aria-labelledby="controls-title" data-testid="call-controls">
      <h2 id="controls-title">Controls</h2>
      <div className="form-row">
        {canHangup && (
          <button type="button" className="button button-danger" disabled={busy !== null}
            onClick={() => void run('hangup', () => api.call('hangupCall', { params: { id: call.id }, body: { reason: 'ended-by-supervisor' } }))}>
            {busy === 'hangup' ? 'Hanging up…' : 'Hang up'}
          </button>
        )}
        {canTransfer && (
          <form className="form-row" onSubmit={transfer} aria-label="Transfer the call">
            <label className="field">
              Transfer to
              <input type="tel" value={to} onChange={(e) => setTo(e.target.value)} placeholder="+14155550100 or sip:…" required
                pattern="(\+[1-9][0-9]{6,14}|sip:\S{3,250})" />
            </label>
            <button type="submit" className="button button-secondary" disabled={busy !== null}>{busy === 'transfer' ? 'Transferring…' : 'Transfer'}</button>
          </form>
        )}
      </div>
      <ErrorMessage error={error} />
    </section>
  );
}
