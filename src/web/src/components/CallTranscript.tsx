import { useEffect, useRef } from 'react';
import { formatDuration, SPEAKERS, speakerLabel, type LiveTurn, type Segment, type Speaker } from './call-model';

interface Props {
  segments: Segment[];
  partials: Partial<Record<Speaker, LiveTurn>>;
  /** Playback position in ms (recording), or null: the segment under it is highlighted. */
  playheadMs: number | null;
  onSeek?(ms: number): void;
}

/** Speakers and timing; partials (italic) are replaced by the final segment when it arrives. */
export function CallTranscript({ segments, partials, playheadMs, onSeek }: Props) {
  const activeRef = useRef<HTMLLIElement | null>(null);
  const active = playheadMs === null ? -1 : segments.findIndex((s) => playheadMs >= s.startMs && playheadMs < Math.max(s.endMs, s.startMs + 1));
  useEffect(() => { activeRef.current?.scrollIntoView({ block: 'nearest' }); }, [active]);
  const pending = SPEAKERS.map((s) => partials[s]).filter((p): p is LiveTurn => !!p);
  if (segments.length === 0 && pending.length === 0) return <p className="empty" data-testid="transcript-empty">Nothing said yet.</p>;
  return (
    <ol className="transcript" data-testid="transcript" aria-live="polite">
      {segments.map((s, i) => (
        <li key={`${s.speaker}-${s.startMs}-${i}`} ref={i === active ? activeRef : undefined}
          className={`turn turn-${s.speaker}${i === active ? ' turn-active' : ''}`} data-testid="transcript-segment" data-active={i === active ? 'true' : undefined}>
          <span className="turn-meta">
            <span className="turn-speaker">{speakerLabel(s.speaker)}</span>
            {onSeek
              ? <button type="button" className="link-button turn-time" onClick={() => onSeek(s.startMs)} aria-label={`Play from ${formatDuration(s.startMs)}`}>{formatDuration(s.startMs)}</button>
              : <span className="turn-time">{formatDuration(s.startMs)}</span>}
          </span>
          <span className="turn-text">{s.text}</span>
        </li>
      ))}
      {pending.map((p) => (
        <li key={`partial-${p.speaker}`} className={`turn turn-${p.speaker} turn-partial`} data-testid="transcript-partial">
          <span className="turn-meta"><span className="turn-speaker">{speakerLabel(p.speaker)}</span><span className="turn-time">{formatDuration(p.startMs)}</span></span>
          <span className="turn-text">{p.text}…</span>
        </li>
      ))}
    </ol>
  );
}
