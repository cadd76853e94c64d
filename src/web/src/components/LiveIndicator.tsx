import { useLiveStatus } from '../live';

const LABELS = { live: 'Live', connecting: 'Connecting…', offline: 'Offline' } as const;

/** Whether the console's event socket is connected. */
export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span className={`live live-${status}`} data-testid="live-indicator" data-status={status} role="status" title="Live events from the server">
      <span className="live-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
