import { useState, type FormEvent } from 'react';
import { CHANNELS, type Channel } from '../../../contracts/sessions';
import { api } from '../api/client';
import type { CreatedSession } from '../api/types';
import { ErrorMessage } from './ErrorMessage';

/** Creates a conversation session (POST /api/v1/sessions) with a channel, an optional flow and a language. */
export function NewSessionForm({ onCreated }: { onCreated(session: CreatedSession): void }) {
  const [channel, setChannel] = useState<Channel>('chat');
  const [flow, setFlow] = useState('');
  const [language, setLanguage] = useState('en-US');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.call('createSession', { body: { channel, language: language.trim(), ...(flow.trim() ? { flow: flow.trim() } : {}) } });
      setFlow('');
      onCreated(created);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card new-session" onSubmit={(e) => void submit(e)} aria-labelledby="new-session-title" data-testid="new-session-form">
      <h2 id="new-session-title">New session</h2>
      <div className="form-row">
        <label className="field">
          <span>Channel</span>
          <select name="channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {CHANNELS.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Flow <span className="muted">(optional)</span></span>
          <input name="flow" value={flow} maxLength={128} placeholder="e.g. support-triage" onChange={(e) => setFlow(e.target.value)} />
        </label>
        <label className="field">
          <span>Language</span>
          <input name="language" value={language} required pattern="[a-z]{2}(-[A-Z]{2})?" title="A language tag such as en-US"
            onChange={(e) => setLanguage(e.target.value)} />
        </label>
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? 'Creating…' : 'Create session'}</button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
