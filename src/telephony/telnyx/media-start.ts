import type { LegAudioFormat } from '../../call/leg.js';
import { decodeClientState } from './events.js';
import type { StartFrame, TelnyxMediaFormat } from './media-frames.js';

/** What the leg needs from the REST client (hang-up and transfer happen over Call Control, not the socket). */
export interface TelnyxCallCommands {
  hangup(callControlId: string): Promise<unknown>;
  transfer(callControlId: string, params: { to: string }): Promise<unknown>;
}

export interface TelnyxMediaLegOptions {
  commands?: TelnyxCallCommands;
  /** Caller audio format the leg emits, and agent audio format `sendAudio` takes (both default μ-law 8 kHz). */
  inputFormat?: LegAudioFormat;
  outputFormat?: LegAudioFormat;
  /** Every dropped frame, with a reason (count it in metrics.rejectedInput). */
  onRejected?: (reason: string) => void;
  /** Telnyx `error` frames (e.g. about media we sent). */
  onCarrierError?: (error: { code?: string | number; title?: string; detail?: string }) => void;
  startTimeoutMs?: number;
  /** Media chunks held behind a gap before it is skipped (20 ms each). */
  jitterWindow?: number;
  /** Largest text frame accepted (bytes, default 64 KiB). */
  maxFrameBytes?: number;
  /** Events kept between `start` and `resume()` (default 500, i.e. 10 s of audio). */
  maxHeldEvents?: number;
  now?: () => number;
}

/** What the `start` frame said. */
export interface TelnyxStreamStart {
  streamId: string | undefined;
  callControlId: string;
  callSessionId: string | undefined;
  from: string | undefined;
  to: string | undefined;
  /** Decoded `client_state` (base64 on the wire), and as received. */
  clientState: string | undefined;
  clientStateRaw: string | undefined;
  customParameters: Record<string, unknown>;
  mediaFormat: TelnyxMediaFormat;
}

/** The `start` frame in our terms. */
export function streamStart(frame: StartFrame): TelnyxStreamStart {
  const s = frame.start;
  return {
    streamId: frame.stream_id,
    callControlId: s.call_control_id,
    callSessionId: s.call_session_id,
    from: s.from,
    to: s.to,
    clientState: decodeClientState(s.client_state),
    clientStateRaw: s.client_state ?? undefined,
    customParameters: s.custom_parameters ?? {},
    mediaFormat: s.media_format,
  };
}
