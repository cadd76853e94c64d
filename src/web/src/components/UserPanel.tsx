import { useState } from 'react';
import { useAuth } from '../auth';

/** The signed-in user, their tenant and role, and sign out. */
export function UserPanel() {
  const { principal, signOut } = useAuth();
  const [busy, setBusy] = useState(false);
  const name = principal.user?.name ?? 'API key';
  return (
    <div className="user-panel" data-testid="user-panel">
      <div className="user-name">{name}</div>
      {principal.user && <div className="user-email">{principal.user.email}</div>}
      <div className="user-meta">
        <span data-testid="tenant-name">{principal.tenant.name}</span>
        <span className="badge">{principal.role}</span>
      </div>
      <button type="button" className="button button-ghost" disabled={busy}
        onClick={() => { setBusy(true); void signOut().finally(() => setBusy(false)); }}>
        Sign out
      </button>
    </div>
  );
}
