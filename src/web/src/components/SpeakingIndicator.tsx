import { speakerLabel, type Speaker } from './call-model';

/** Animated bars while someone on the call is talking (from live transcript events). */
export function SpeakingIndicator({ speaker }: { speaker: Speaker | null }) {
  if (!speaker) return <span className="muted" aria-label="Nobody speaking">—</span>;
  return (
    <span className={`speaking speaking-${speaker}`} data-testid="speaking" role="status">
      <span className="speaking-bars" aria-hidden="true"><i /><i /><i /></span>
      {speakerLabel(speaker)}
    </span>
  );
}
