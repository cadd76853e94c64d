import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { allowed, type Call } from './call-model';
import { ErrorMessage } from './ErrorMessage';

/** Hang up, hold/resume and transfer, shown only to roles the operations allow (the server checks again). */
export function CallControls({ call, onChanged }: { call: Call; onChanged(call: Call): void }) {
  const { principal } = useAuth();
  const [busy, setBusy] = useState<'hangup' | 'hold' | 'transfer' | null>(null);
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const canHangup = allowed('hangupCall', principal.role);
  const canTransfer = allowed('transferCall', principal.role) && call.carrier !== 'browser';
  // Hold only moves between these two states; the server answers 409 for any other.
  const onHold = call.state === 'on-hold';
  const canHold = allowed(onHold ? 'resumeCall' : 'holdCall', principal.role) && (onHold || call.state === 'in-progress');
  if (!canHangup && !canTransfer && !canHold) return null;

  const run = async (what: 'hangup' | 'hold' | 'transfer', action: () => Promise<Call>) => {
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
        {canHold && (
          <button type="button" className="button button-secondary" disabled={busy !== null} aria-pressed={onHold}
            onClick={() => void run('hold', () => api.call(onHold ? 'resumeCall' : 'holdCall', { params: { id: call.id } }))}>
            {busy === 'hold' ? (onHold ? 'Resuming…' : 'Holding…') : onHold ? 'Resume' : 'Hold'}
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
