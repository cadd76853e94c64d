import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../../../../contracts/common';
import { api } from '../../api/client';
import type { User } from '../../api/admin-types';
import { formatDateTime } from '../../format';
import { ErrorMessage } from '../ErrorMessage';
import { useFirstPage } from '../../api/use-first-page';

/** The tenant's users and a form to add one with a role. */
export function UsersSection() {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role, password: '' });
  const [busy, setBusy] = useState(false);

  useFirstPage((signal) => api.call('listUsers', { query: { limit: 200 }, signal }), setUsers, setError);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await api.call('createUser', { body: { ...form, email: form.email.trim(), name: form.name.trim() } });
      setUsers((prev) => [...(prev ?? []), user]);
      setForm({ email: '', name: '', role: form.role, password: '' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {users === null
        ? !error && <p className="muted" role="status">Loading users…</p>
        : (
          <div className="table-wrap">
            <table className="table" data-testid="users-table">
              <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Queues</th><th scope="col">Created</th></tr></thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id} data-testid={`user-${u.email}`}>
                    <th scope="row">{u.name}{u.disabled && <span className="badge"> disabled</span>}</th>
                    <td>{u.email}</td>
                    <td><span className="badge">{u.role}</span></td>
                    <td><QueuesCell user={u} onSaved={(saved) => setUsers((prev) => (prev ?? []).map((x) => (x.id === saved.id ? saved : x)))} /></td>
                    <td className="small">{formatDateTime(u.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <form className="subform" onSubmit={(e) => void create(e)} aria-labelledby="new-user-title" data-testid="new-user-form">
        <h3 id="new-user-title">Add a user</h3>
        <div className="form-row">
          <label className="field"><span>Name</span>
            <input value={form.name} required maxLength={200} placeholder="Full name" disabled={busy} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <label className="field"><span>Email</span>
            <input type="email" value={form.email} required autoComplete="off" placeholder="name@example.com" disabled={busy} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          </label>
          <label className="field"><span>Role</span>
            <select value={form.role} disabled={busy} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <label className="field"><span>Password</span>
            <input type="password" value={form.password} required minLength={8} autoComplete="new-password" placeholder="8 characters or more" disabled={busy}
              onChange={(e) => setForm({ ...form, password: e.target.value })} />
          </label>
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Adding…' : 'Add user'}</button>
        </div>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

/**
 * An agent's queues (which calls they see and may take over), edited in place: comma-separated names, checked by
 * the server. Supervisors, admins and analysts see every call, so their queues matter only if they become agents.
 */
function QueuesCell({ user, onSaved }: { user: User; onSaved(user: User): void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(user.queues.join(', '));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const queues = [...new Set(value.split(',').map((q) => q.trim()).filter(Boolean))];
      onSaved(await api.call('setUserQueues', { params: { id: user.id }, body: { queues } }));
      setEditing(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!editing) {
    return (
      <span className="inline-edit" data-testid={`queues-${user.email}`}>
        {user.queues.length ? user.queues.map((q) => <span key={q} className="badge">{q}</span>) : <span className="muted">none</span>}
        <button type="button" className="link-button" onClick={() => { setValue(user.queues.join(', ')); setEditing(true); }} aria-label={`Edit the queues of ${user.name}`}>Edit</button>
      </span>
    );
  }
  return (
    <form className="inline-edit" onSubmit={(e) => void save(e)} data-testid={`queues-form-${user.email}`}>
      <label className="field"><span className="visually-hidden">Queues of {user.name} (comma-separated)</span>
        <input value={value} disabled={busy} placeholder="general, sales" maxLength={2000} autoFocus onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
      <button type="button" className="button button-secondary" disabled={busy} onClick={() => { setEditing(false); setError(null); }}>Cancel</button>
      <ErrorMessage error={error} />
    </form>
  );
}
