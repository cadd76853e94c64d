import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { FlowSummary, PhoneNumber } from '../../api/admin-types';
import { ErrorMessage } from '../ErrorMessage';

/** Agent kinds a server can have; it refuses the ones it lacks (`ai` needs a provider key) with a clear error. */
export const AGENT_KINDS = ['echo', 'voicemail', 'flow', 'ai'] as const;

interface Props {
  /** The number being edited; none adds a new one. */
  number?: PhoneNumber;
  flows: FlowSummary[];
  onSaved(number: PhoneNumber): void;
  onCancel?(): void;
}

/** Adds a number or changes what answers it: carrier, agent kind, flow, greeting. */
export function NumberForm({ number, flows, onSaved, onCancel }: Props) {
  const [e164, setE164] = useState(number?.number ?? '');
  const [carrier, setCarrier] = useState<PhoneNumber['carrier']>(number?.carrier ?? 'twilio');
  const [agentKind, setAgentKind] = useState(number?.agentKind ?? 'flow');
  const [flowId, setFlowId] = useState(number?.flowId ?? flows[0]?.key ?? '');
  const [greeting, setGreeting] = useState(number?.greeting ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const idp = number ? `number-${number.id}` : 'number-new';
  const kinds = AGENT_KINDS.includes(agentKind as (typeof AGENT_KINDS)[number]) ? AGENT_KINDS : [...AGENT_KINDS, agentKind];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const answer = { carrier, agentKind, flowId: agentKind === 'flow' && flowId ? flowId : null, greeting: greeting.trim() || null };
    try {
      const saved = number
        ? await api.call('updateNumber', { params: { id: number.id }, body: answer })
        : await api.call('createNumber', { body: { number: e164.trim(), ...answer } });
      if (!number) { setE164(''); setGreeting(''); }
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="subform" onSubmit={(e) => void submit(e)} aria-label={number ? `Edit ${number.number}` : 'Add a number'} data-testid={number ? 'edit-number-form' : 'add-number-form'}>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${idp}-e164`}>Number</label>
          <input id={`${idp}-e164`} value={e164} disabled={!!number || busy} required pattern="\+[1-9][0-9]{6,14}" title="E.164, e.g. +15551234567"
            placeholder="+15551234567" onChange={(e) => setE164(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${idp}-carrier`}>Carrier</label>
          <select id={`${idp}-carrier`} value={carrier} disabled={busy} onChange={(e) => setCarrier(e.target.value as PhoneNumber['carrier'])}>
            <option value="twilio">Twilio</option>
            <option value="telnyx">Telnyx</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${idp}-agent`}>Answered by</label>
          <select id={`${idp}-agent`} value={agentKind} disabled={busy} onChange={(e) => setAgentKind(e.target.value)}>
            {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </div>
        {agentKind === 'flow' && (
          <div className="field">
            <label htmlFor={`${idp}-flow`}>Flow</label>
            <select id={`${idp}-flow`} value={flowId} disabled={busy} required onChange={(e) => setFlowId(e.target.value)}>
              {!flows.some((f) => f.key === flowId) && <option value={flowId}>{flowId || 'choose a flow'}</option>}
              {flows.map((f) => <option key={f.id} value={f.key}>{f.name}{f.publishedVersion ? '' : ' (not published)'}</option>)}
            </select>
          </div>
        )}
        {agentKind === 'voicemail' && (
          <div className="field">
            <label htmlFor={`${idp}-greeting`}>Greeting</label>
            <input id={`${idp}-greeting`} value={greeting} maxLength={2000} disabled={busy} onChange={(e) => setGreeting(e.target.value)} />
          </div>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : number ? 'Save' : 'Add number'}</button>
        {onCancel && <button type="button" className="button button-ghost" onClick={onCancel} disabled={busy}>Cancel</button>}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
