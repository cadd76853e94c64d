import { useEffect, useState, type FormEvent } from 'react';
import { api, type ResponseOf } from '../api/client';
import { useAuth } from '../auth';
import { allowed, type Call } from './call-model';
import { ErrorMessage } from './ErrorMessage';

type TransferAgent = ResponseOf<'listTransferAgents'>['items'][number];
type TransferMode = 'number' | 'agent';

/** Hang up, hold/resume and transfer (to a number or an agent), shown only to roles the operations allow (the server checks again). */
export function CallControls({ call, onChanged }: { call: Call; onChanged(call: Call): void }) {
  const { principal } = useAuth();
  const [busy, setBusy] = useState<'hangup' | 'hold' | 'transfer' | null>(null);
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const canHangup = allowed('hangupCall', principal.role);
  const mayTransfer = allowed('transferCall', principal.role);
  // A browser call has no number to move to; any held or answered call can wait for an agent.
  const canTransferToNumber = mayTransfer && call.carrier !== 'browser';
  const canTransferToAgent = mayTransfer && allowed('listTransferAgents', principal.role) && (call.state === 'in-progress' || call.state === 'on-hold');
  const [mode, setMode] = useState<TransferMode>(canTransferToNumber ? 'number' : 'agent');
  // Hold only moves between these two states; the server answers 409 for any other.
  const onHold = call.state === 'on-hold';
  const canHold = allowed(onHold ? 'resumeCall' : 'holdCall', principal.role) && (onHold || call.state === 'in-progress');
  if (!canHangup && !canTransferToNumber && !canTransferToAgent && !canHold) return null;

  const run = async (what: 'hangup' | 'hold' | 'transfer', action: () => Promise<Call>) => {
    setBusy(what);
    setError(null);
    try { onChanged(await action()); } catch (err) { setError(err); } finally { setBusy(null); }
  };
  const transferToNumber = (event: FormEvent) => {
    event.preventDefault();
    void run('transfer', () => api.call('transferCall', { params: { id: call.id }, body: { to: to.trim() } }));
  };
  const transferToAgent = (agentId: string) => run('transfer', () => api.call('transferCall', { params: { id: call.id }, body: { agentId } }));
  const both = canTransferToNumber && canTransferToAgent;

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
        {both && (
          <label className="field">
            Transfer
            <select value={mode} onChange={(e) => setMode(e.target.value as TransferMode)} data-testid="transfer-mode">
              <option value="number">to a number</option>
              <option value="agent">to an agent</option>
            </select>
          </label>
        )}
        {canTransferToNumber && (!both || mode === 'number') && (
          <form className="form-row" onSubmit={transferToNumber} aria-label="Transfer the call to a number">
            <label className="field">
              Transfer to
              <input type="tel" value={to} onChange={(e) => setTo(e.target.value)} placeholder="+14155550100 or sip:…" required
                pattern="(\+[1-9][0-9]{6,14}|sip:\S{3,250})" />
            </label>
            <button type="submit" className="button button-secondary" disabled={busy !== null}>{busy === 'transfer' ? 'Transferring…' : 'Transfer'}</button>
          </form>
        )}
        {canTransferToAgent && (!both || mode === 'agent') && (
          <AgentTransferForm call={call} me={principal.user?.id ?? null} busy={busy !== null} transferring={busy === 'transfer'}
            onTransfer={(agentId) => void transferToAgent(agentId)} onError={setError} />
        )}
      </div>
      <ErrorMessage error={error} />
    </section>
  );
}

/** Picks an agent or supervisor (not yourself, not the one the call already waits for): the call is held until they take it over. */
function AgentTransferForm({ call, me, busy, transferring, onTransfer, onError }: {
  call: Call; me: string | null; busy: boolean; transferring: boolean; onTransfer(agentId: string): void; onError(err: unknown): void;
}) {
  const [agents, setAgents] = useState<TransferAgent[] | null>(null);
  const [agentId, setAgentId] = useState('');
  useEffect(() => {
    const abort = new AbortController();
    api.call('listTransferAgents', { signal: abort.signal }).then((r) => setAgents(r.items), (err: unknown) => { if (!abort.signal.aborted) onError(err); });
    return () => abort.abort();
  }, [onError]);
  const choices = (agents ?? []).filter((a) => a.id !== me && !(call.awaitingAssignee && a.id === call.assigneeUserId));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (agentId) onTransfer(agentId);
  };
  return (
    <form className="form-row" onSubmit={submit} aria-label="Transfer the call to an agent" data-testid="transfer-agent-form">
      <label className="field">
        Agent
        <select value={agentId} onChange={(e) => setAgentId(e.target.value)} required disabled={agents === null} data-testid="transfer-agent">
          <option value="">{agents === null ? 'Loading agents…' : choices.length === 0 ? 'No other agents' : 'Choose an agent'}</option>
          {choices.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.role}{a.queues.length ? ` · ${a.queues.join(', ')}` : ''})</option>)}
        </select>
      </label>
      <button type="submit" className="button button-secondary" disabled={busy || !agentId}>{transferring ? 'Transferring…' : 'Transfer to agent'}</button>
    </form>
  );
}
