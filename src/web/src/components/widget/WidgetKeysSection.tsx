import { useState, type FormEvent } from 'react';
import type { WidgetKey } from '../../../../contracts/widget';
import { api } from '../../api/client';
import { formatDateTime } from '../../format';
import { ErrorMessage } from '../ErrorMessage';
import { useFirstPage } from '../../api/use-first-page';

/** Public keys of the embeddable web widget: create for some origins and a flow, copy the embed tag, revoke. */
export function WidgetKeysSection() {
  const [keys, setKeys] = useState<WidgetKey[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [flow, setFlow] = useState('appointment-booking');
  const [busy, setBusy] = useState(false);

  useFirstPage((signal) => api.call('listWidgetKeys', { query: { limit: 200 }, signal }), setKeys, setError);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const allowedOrigins = origins.split(/[\s,]+/).map((o) => o.trim()).filter(Boolean);
      const key = await api.call('createWidgetKey', { body: { name: name.trim(), allowedOrigins, flow: flow.trim() } });
      setKeys((prev) => [key, ...(prev ?? [])]);
      setName('');
      setOrigins('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: WidgetKey) => {
    if (!window.confirm(`Revoke "${key.name}"? Sites embedding it lose the chat at once.`)) return;
    setError(null);
    try {
      const revoked = await api.call('revokeWidgetKey', { params: { id: key.id } });
      setKeys((prev) => prev?.map((k) => (k.id === key.id ? revoked : k)) ?? null);
    } catch (err) {
      setError(err);
    }
  };

  const embed = (key: WidgetKey) => `<script src="${location.origin}/widget.js" data-key="${key.key}" async></script>`;

  return (
    <section className="card" aria-labelledby="widget-keys-title">
      <h2 id="widget-keys-title">Web widget keys</h2>
      <p className="muted">A key is public (it sits in the site's page); it only opens the chat, and only on its origins.</p>
      {keys === null
        ? !error && <p className="muted" role="status">Loading keys…</p>
        : keys.length === 0
          ? <p className="empty">No widget keys yet.</p>
          : (
            <div className="table-wrap">
              <table className="table" data-testid="widget-keys-table">
                <thead><tr><th scope="col">Name</th><th scope="col">Origins</th><th scope="col">Flow</th><th scope="col">Embed tag</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
                <tbody>
                  {keys.map((k) => (
                    <tr key={k.id}>
                      <td>{k.name}</td>
                      <td>{k.allowedOrigins.join(', ')}</td>
                      <td>{k.flow}</td>
                      <td><code className="wrap">{embed(k)}</code></td>
                      <td>{k.revokedAt ? `revoked ${formatDateTime(k.revokedAt)}` : 'active'}</td>
                      <td>{!k.revokedAt && <button type="button" className="button button-small button-danger" onClick={() => void revoke(k)}>Revoke<span className="visually-hidden"> {k.name}</span></button>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      <form className="form-row" onSubmit={(e) => void create(e)}>
        <label>Name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} /></label>
        <label>Allowed origins <input value={origins} onChange={(e) => setOrigins(e.target.value)} required placeholder="https://shop.example.com" /></label>
        <label>Flow <input value={flow} onChange={(e) => setFlow(e.target.value)} required maxLength={128} /></label>
        <button type="submit" className="button" disabled={busy}>Create key</button>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}
