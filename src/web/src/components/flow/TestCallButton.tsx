import { softphone, useSoftphone } from '../../audio/softphone';
import { Link } from '../Link';

/** Calls the flow's published version from this browser (the softphone's browser-voice leg). */
export function TestCallButton({ flowKey, published }: { flowKey: string; published: boolean }) {
  const phone = useSoftphone();
  const busy = softphone.busy;
  return (
    <div className="test-call" data-testid="test-call" data-status={phone.status}>
      {busy
        ? <button type="button" className="button button-danger" onClick={() => softphone.hangup()} disabled={phone.status === 'ending'}>Hang up test call</button>
        : <button type="button" className="button button-secondary" disabled={!published} onClick={() => void softphone.start({ flow: flowKey })}
          title={published ? 'Calls the published version from this browser' : 'Publish a version first'}>Test call</button>}
      <span className="muted small" role="status">
        {!published && !busy ? 'Publish a version to call it.' : phone.status === 'idle' ? '' : phone.status}
        {phone.callId && <> · <Link to={`/calls/${phone.callId}`} data-testid="test-call-link">open the call</Link></>}
      </span>
      {phone.error && <span className="field-error" role="alert">{phone.error}</span>}
    </div>
  );
}
