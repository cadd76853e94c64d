import { useState, type FormEvent } from 'react';
import { api, type CallOptions } from '../../api/client';
import type { CarrierAccount } from '../../api/admin-types';
import { formatDateTime } from '../../format';
import { ErrorMessage } from '../ErrorMessage';

const FIELDS = {
  twilio: [
    { name: 'accountSid', label: 'Account SID', secret: false, required: true, placeholder: 'AC…' },
    { name: 'authToken', label: 'Auth token', secret: true, required: true, placeholder: 'from the Twilio console' },
  ],
  telnyx: [
    { name: 'apiKey', label: 'API key', secret: true, required: true, placeholder: 'KEY…' },
    { name: 'publicKey', label: 'Webhook public key (base64)', secret: false, required: true, placeholder: 'base64 of 32 bytes' },
    { name: 'connectionId', label: 'Connection id (outbound)', secret: false, required: false, placeholder: 'optional' },
  ],
} as const;

/** One carrier: what is stored (never the secrets), a form to set new credentials, and removal. */
export function CarrierCard({ account, onChanged }: { account: CarrierAccount; onChanged(account: CarrierAccount): void }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fields = FIELDS[account.carrier];
  const name = account.carrier === 'twilio' ? 'Twilio' : 'Telnyx';

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = Object.fromEntries(fields.flatMap((f) => (values[f.name]?.trim() ? [[f.name, values[f.name]!.trim()]] : [])));
      onChanged(await putCarrier(account.carrier, body));
      setValues({});
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!window.confirm(`Remove the ${name} credentials? Calls through ${name} stop working.`)) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.call('deleteCarrier', { params: { carrier: account.carrier } }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`carrier-${account.carrier}-title`} data-testid={`carrier-${account.carrier}`} data-configured={account.configured}>
      <div className="card-head">
        <h3 id={`carrier-${account.carrier}-title`}>{name}</h3>
        <span>
          <span className={account.configured ? 'pill pill-on' : 'pill pill-off'}>{account.configured ? 'configured' : 'not set'}</span>
          {account.demo && <span className="badge"> demo</span>}
        </span>
      </div>
      <dl className="details">
        <div><dt>{account.carrier === 'twilio' ? 'Account SID' : 'Connection id'}</dt><dd><code className="wrap">{account.accountId ?? '—'}</code></dd></div>
        {account.carrier === 'telnyx' && <div><dt>Public key</dt><dd><code className="wrap">{account.publicKey ?? '—'}</code></dd></div>}
        <div><dt>Updated</dt><dd>{formatDateTime(account.updatedAt)}</dd></div>
      </dl>
      <form className="form-row" onSubmit={(e) => void save(e)} aria-label={`Set ${name} credentials`}>
        {fields.map((f) => (
          <label key={f.name} className="field">
            <span>{f.label}</span>
            <input name={f.name} type={f.secret ? 'password' : 'text'} autoComplete="off" required={f.required} placeholder={f.placeholder}
              value={values[f.name] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))} disabled={busy} />
          </label>
        ))}
        <button type="submit" className="button button-primary" disabled={busy}>{account.configured ? 'Replace' : 'Save'}</button>
        {account.configured && <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove()}>Remove</button>}
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

/** The form's fields as the request body; the server checks them against the carrier's schema. */
function putCarrier(carrier: CarrierAccount['carrier'], body: Record<string, string>) {
  return api.call('putCarrier', { params: { carrier }, body: body as CallOptions<'putCarrier'>['body'] });
}
