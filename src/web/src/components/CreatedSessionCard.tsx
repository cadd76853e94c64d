import type { CreatedSession } from '../api/types';
import { formatDateTime } from '../format';

/** What a new session's client needs: where its socket is and until when the token is valid. */
export function CreatedSessionCard({ session, onDismiss }: { session: CreatedSession; onDismiss(): void }) {
  const audio = session.audioFormat.encoding === 'none' ? 'text only' : `${session.audioFormat.encoding} ${session.audioFormat.sampleRate} Hz`;
  return (
    <section className="card card-success" aria-labelledby="created-title" data-testid="created-session" role="status">
      <div className="card-head">
        <h2 id="created-title">Session created</h2>
        <button type="button" className="button button-ghost button-small" onClick={onDismiss}>Dismiss</button>
      </div>
      <dl className="details">
        <div><dt>Session</dt><dd><code data-testid="created-session-id">{session.id}</code></dd></div>
        <div><dt>Socket URL</dt><dd><code className="wrap" data-testid="created-socket-url">{session.socketUrl}</code></dd></div>
        <div><dt>Expires</dt><dd data-testid="created-expires"><time dateTime={session.expiresAt}>{formatDateTime(session.expiresAt)}</time></dd></div>
        <div><dt>Audio</dt><dd>{audio}</dd></div>
      </dl>
      <p className="muted small">Join with the socket URL and <code>?token=</code> from the API answer; the token is not shown here.</p>
    </section>
  );
}
