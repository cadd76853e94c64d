import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { useAuth } from '../auth';
import { CallMediaLink, type CallMediaMode, type CallMediaState } from '../audio/call-media';
import { allowed, type CallDetail } from './call-model';
import { ErrorMessage } from './ErrorMessage';

/** Listening in and whispering are for supervisors and admins (the media socket checks again). */
const SUPERVISES = ['admin', 'supervisor'];

/**
 * Pause the AI and take over (the browser joins the call's media both ways), hand back, listen in, whisper:
 * each shown only to the roles that may use it; the server enforces the same rules.
 */
export function CallSupervision({ call, onChanged }: { call: CallDetail; onChanged(): void }) {
  const { principal } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [link, setLink] = useState<{ mode: CallMediaMode; state: CallMediaState } | null>(null);
  const active = useRef<CallMediaLink | null>(null);
  useEffect(() => () => active.current?.stop(), []);

  const canTakeover = allowed('takeoverCall', principal.role);
  const supervises = SUPERVISES.includes(principal.role);
  // Transferred to an agent (held until they take it over): for them the takeover comes first.
  const waitingForMe = call.awaitingAssignee && call.assigneeUserId !== null && call.assigneeUserId === principal.user?.id;
  const handedOn = call.awaitingAssignee && call.assigneeUserId !== principal.user?.id;
  // I transferred the call on while talking on it: my audio leaves it (the caller is held for the next agent).
  useEffect(() => {
    if (handedOn && active.current?.mode === 'takeover') { active.current.stop(); active.current = null; setLink(null); }
  }, [handedOn]);
  if (!canTakeover && !supervises) return null;

  const join = async (mode: CallMediaMode) => {
    active.current?.stop();
    const next = new CallMediaLink(call.id, mode, (state) => setLink({ mode, state }));
    active.current = next;
    setLink({ mode, state: { status: 'connecting', framesSent: 0, framesReceived: 0 } });
    await next.start();
  };
  const leave = () => { active.current?.stop(); active.current = null; setLink(null); };
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try { await action(); onChanged(); } catch (err) { setError(err); } finally { setBusy(false); }
  };
  const takeover = () => run(async () => {
    await api.call('takeoverCall', { params: { id: call.id } });
    await join('takeover');
  });
  const handBack = () => run(async () => {
    leave();
    await api.call('resumeCallAi', { params: { id: call.id } });
  });

  return (
    <section className="card" aria-labelledby="supervision-title" data-testid="call-supervision" data-ai-paused={call.aiPaused}>
      <h2 id="supervision-title">Take over and supervise</h2>
      <p className="muted">{waitingForMe ? 'This call was transferred to you: the caller is on hold until you take it.'
        : call.awaitingAssignee ? 'Transferred to an agent: the caller is on hold until they take it.'
          : call.aiPaused ? 'A person has the call; the AI agent is paused.' : 'The AI agent has the call.'}</p>
      <div className="form-row">
        {canTakeover && (!call.aiPaused || call.awaitingAssignee) && (
          <button type="button" className="button" disabled={busy} onClick={() => void takeover()} data-testid="takeover">
            {call.awaitingAssignee ? 'Take the call' : 'Pause AI and take over'}
          </button>
        )}
        {canTakeover && call.aiPaused && !call.awaitingAssignee && link?.mode !== 'takeover' && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void run(() => join('takeover'))}>Join the call audio</button>
        )}
        {canTakeover && call.aiPaused && !call.awaitingAssignee && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void handBack()}>Hand back to AI</button>
        )}
        {supervises && link?.mode !== 'listen' && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void join('listen')}>Listen in</button>
        )}
        {supervises && call.aiPaused && link?.mode !== 'whisper' && (
          <button type="button" className="button button-secondary" disabled={busy} onClick={() => void join('whisper')}>Whisper to agent</button>
        )}
        {link && <button type="button" className="button button-secondary" onClick={leave}>Leave audio</button>}
      </div>
      {link && (
        <p role="status" data-testid="call-media-status" data-mode={link.mode} data-status={link.state.status}>
          {link.mode}: {link.state.status} · sent {link.state.framesSent} · received {link.state.framesReceived} frames
          {link.state.error ? ` · ${link.state.error}` : ''}
        </p>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
