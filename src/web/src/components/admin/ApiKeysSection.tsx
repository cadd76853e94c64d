import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../../../../contracts/common';
import { api } from '../../api/client';
import type { ApiKey, CreatedApiKey } from '../../api/admin-types';
import { formatDateTime } from '../../format';
import { ErrorMessage } from '../ErrorMessage';
import { useFirstPage } from '../../api/use-first-page';

/** API keys for programs: create (the secret is shown once, here), list, revoke. */
export function ApiKeysSection() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [copied, setCopied] = useState(false);

  useFirstPage((signal) => api.call('listApiKeys', { query: { limit: 200 }, signal }), setKeys, setError);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await api.call('createApiKey', { body: { name: name.trim(), role } });
      setCreated(key);
      setCopied(false);
      const { secret: _secret, ...listed } = key;
      setKeys((prev) => [listed, ...(prev ?? [])]);
      setName('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke "${key.name}"? Programs using it are refused from now on.`)) return;
    setError(null);
    try {
      const revoked = await api.call('revokeApiKey', { params: { id: key.id } });
      setKeys((prev) => prev?.map((k) => (k.id === key.id ? revoked : k)) ?? null);
    } catch (err) {
      setError(err);
    }
  };

  const copy = async (secret: string) => {
    try { await navigator.clipboard.writeText(secret); setCopied(true); } catch { setCopied(false); }
  };

  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {created && (
        <div className="card card-success" role="status" data-testid="created-key">
          <p><strong>Key “{created.name}” created.</strong> Copy it now: it is shown only once.</p>
          <div className="secret-row">
            <code className="wrap" data-testid="created-key-secret">{created.secret}</code>
            <button type="button" className="button button-small button-secondary" onClick={() => void copy(created.secret)}>{copied ? 'Copied' : 'Copy'}</button>
            <button type="button" className="button button-small button-ghost" onClick={() => setCreated(null)}>Done</button>
          </div>
        </div>
      )}
      {keys === null
        ? !error && <p className="muted" role="status">Loading keys…</p>
        : keys.length === 0
          ? <p className="empty">No API keys yet.</p>
          : (
            <div className="table-wrap">
              <table className="table" data-testid="keys-table">
                <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Role</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
                <tbody>
                  {keys.map((k) => (
                    <tr key={k.id} data-testid={`key-${k.name}`} data-revoked={k.revokedAt !== null}>
                      <th scope="row">{k.name}</th>
                      <td><code>{k.prefix}…</code></td>
                      <td><span className="badge">{k.role}</span></td>
                      <td className="small">{formatDateTime(k.lastUsedAt)}</td>
                      <td>{k.revokedAt ? <span className="pill pill-off" title={formatDateTime(k.revokedAt)}>revoked</span> : <span className="pill pill-on">active</span>}</td>
                      <td className="actions">
                        {!k.revokedAt && <button type="button" className="button button-small button-danger" onClick={() => void revoke(k)} aria-label={`Revoke ${k.name}`}>Revoke</button>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      <form className="subform" onSubmit={(e) => void create(e)} aria-labelledby="new-key-title" data-testid="new-key-form">
        <h3 id="new-key-title">Create a key</h3>
        <div className="form-row">
          <label className="field"><span>Key name</span>
            <input value={name} required maxLength={200} disabled={busy} placeholder="e.g. CRM integration" onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field"><span>Key role</span>
            <select value={role} disabled={busy} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Creating…' : 'Create key'}</button>
        </div>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}
