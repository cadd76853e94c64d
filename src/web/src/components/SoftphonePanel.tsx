import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { JITTER_MS, softphone, useSoftphone } from '../audio/softphone';
import { Link } from './Link';

type FlowOption = { key: string; name: string };

/** Calls the echo agent or a flow from the browser: microphone, playback, mute, hang-up, level and latency. */
export function SoftphonePanel() {
  const phone = useSoftphone();
  const [flows, setFlows] = useState<FlowOption[]>([]);
  const [flow, setFlow] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    api.call('listFlows', { query: { limit: 100 }, signal: controller.signal })
      .then((page) => setFlows(page.items.map((f) => ({ key: f.key, name: f.name }))), () => setFlows([]));
    return () => controller.abort();
  }, []);

  const busy = phone.status === 'connecting' || phone.status === 'in-call' || phone.status === 'ending';
  const level = Math.min(1, phone.level * 1.4);
  return (
    <section className="card softphone" aria-labelledby="softphone-title" data-testid="softphone" data-status={phone.status}>
      <div className="card-head">
        <h2 id="softphone-title">Softphone</h2>
        <span className={`pill pill-phone-${phone.status}`} data-testid="softphone-status">{phone.status}</span>
      </div>
      <div className="form-row">
        <label className="field">
          Call
          <select value={flow} disabled={busy} onChange={(e) => setFlow(e.target.value)} aria-describedby="softphone-target-help">
            <option value="">Echo (hear yourself)</option>
            {flows.map((f) => <option key={f.key} value={f.key}>Flow: {f.name}</option>)}
          </select>
        </label>
        {busy
          ? <button type="button" className="button button-danger" onClick={() => softphone.hangup()} disabled={phone.status === 'ending'}>Hang up</button>
          : <button type="button" className="button button-primary" onClick={() => void softphone.start(flow ? { flow } : {})}>Call</button>}
        <button type="button" className="button button-ghost" aria-pressed={phone.muted} disabled={!busy} onClick={() => softphone.setMuted(!phone.muted)}>
          {phone.muted ? 'Unmute' : 'Mute'}
        </button>
      </div>
      <p id="softphone-target-help" className="muted small">Microphone with echo cancellation, noise suppression and gain control; playback buffers {JITTER_MS} ms.</p>
      <div className="meter" role="meter" aria-label="Microphone level" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)} data-testid="mic-level">
        <div className="meter-fill" style={{ width: `${Math.round(level * 100)}%` }} />
      </div>
      <dl className="phone-stats">
        <div><dt>Call</dt><dd>{phone.callId ? <Link to={`/calls/${phone.callId}`} data-testid="softphone-call-link">{phone.agent ?? 'open'}</Link> : '—'}</dd></div>
        <div><dt>Sent</dt><dd data-testid="frames-sent">{phone.framesSent}</dd></div>
        <div><dt>Received</dt><dd data-testid="frames-received">{phone.framesReceived}</dd></div>
        <div><dt>Buffered</dt><dd>{phone.bufferedMs} ms</dd></div>
        <div><dt>Latency</dt><dd data-testid="round-trip">{phone.roundTripMs === null ? '—' : `round trip ${phone.roundTripMs} ms`}</dd></div>
        <div><dt>Mic → server</dt><dd data-testid="mic-to-server">{phone.roundTripMs === null ? '—' : `≈ ${20 + Math.round(phone.roundTripMs / 2)} ms`}</dd></div>
      </dl>
      {phone.error && <p className="alert alert-error" role="alert">{phone.error}</p>}
      {phone.status === 'ended' && <p className="muted" role="status" data-testid="softphone-ended">Call ended ({phone.endedReason ?? 'ended'}).</p>}
    </section>
  );
}
