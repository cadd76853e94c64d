import { useState, type FormEvent } from 'react';
import type { Principal } from '../../../contracts/accounts';
import { api, ApiError } from '../api/client';

interface Props {
  onSignedIn(principal: Principal): void;
  initialError?: string | null;
}

function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'invalid_credentials') return 'Email or password is wrong.';
    if (err.code === 'rate_limited') return 'Too many attempts. Wait a minute and try again.';
    if (err.code === 'validation_failed') return 'Enter a valid email address and a password.';
    return err.message;
  }
  return 'Signing in failed.';
}

export function LoginPage({ onSignedIn, initialError = null }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.call('login', { body: { email: email.trim(), password } }));
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="brand"><span className="brand-mark" aria-hidden="true">S</span> Switchboard</div>
        <h1 id="login-title">Sign in to the console</h1>
        {error && <div className="alert alert-error" role="alert" data-testid="login-error">{error}</div>}
        <label className="field">
          <span>Email</span>
          <input type="email" name="email" autoComplete="username" required autoFocus
            value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" name="password" autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
