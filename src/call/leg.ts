/**
 * A carrier leg: one carrier's media protocol (Twilio media stream, Telnyx media stream, the browser socket, SIP/RTP)
 * seen as one internal shape. Frames of audio come in, audio goes out, with `clear`, `mark`, DTMF, hang-up and
 * transfer. The call session talks only to this interface.
 */
export type AudioEncoding = 'mulaw' | 'alaw' | 'pcm16';

export interface LegAudioFormat {
  encoding: AudioEncoding;
  sampleRate: number;
}

export const MULAW_8K: LegAudioFormat = { encoding: 'mulaw', sampleRate: 8000 };
export const PCM16_16K: LegAudioFormat = { encoding: 'pcm16', sampleRate: 16000 };

export type CarrierName = 'twilio' | 'telnyx' | 'browser';

/** Who ended the call: the caller, the agent (AI or person), the platform (API/supervisor) or the carrier. */
export type HangupSource = 'caller' | 'agent' | 'platform' | 'carrier';

export interface LegEvents {
  /**
   * One frame of caller audio in the leg's `inputFormat` (PCM16 is little-endian bytes). `atMs` is the carrier's
   * media timestamp since stream start. The payload is only valid during the call: listeners copy what they keep.
   */
  audio: (payload: Uint8Array, atMs: number) => void;
  dtmf: (digit: string) => void;
  /** The carrier played everything up to a mark we sent (also emitted for marks still pending when `clear` ran). */
  mark: (name: string) => void;
  /** The media stream ended (caller hung up, carrier stopped the stream, socket closed). Emitted once. */
  ended: (reason: string, source: HangupSource) => void;
}

export interface CarrierLeg {
  readonly carrier: CarrierName;
  /** The carrier's id of the call (CallSid, call_control_id, session id). */
  readonly carrierCallId: string;
  /** Format of caller audio this leg delivers. */
  readonly inputFormat: LegAudioFormat;
  /** Format `sendAudio` expects. */
  readonly outputFormat: LegAudioFormat;

  on<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this;
  off<E extends keyof LegEvents>(event: E, listener: LegEvents[E]): this;

  /** Queues agent audio (outputFormat, any length) for playback. Uses or copies `payload` before returning. */
  sendAudio(payload: Uint8Array): void;
  /** Asks the carrier to report back (`mark` event) once playback reaches this point. */
  mark(name: string): void;
  /** Empties the carrier's playback buffer (barge-in). Returns how many ms of queued audio were dropped unplayed. */
  clear(): number;
  /**
   * Playback accounting, kept by the leg however its protocol allows (marks, client reports, a clock):
   * `sentMs` = agent audio queued so far minus what `clear` dropped; `playedMs` = what the caller has heard.
   * Always `playedMs <= sentMs`, and right after `clear()` they are equal. See `PlaybackLedger` (src/telephony/playback.ts).
   */
  playback(): { sentMs: number; playedMs: number };
  /** Ends the call at the carrier. */
  hangup(reason: string): Promise<void>;
  /** Moves the call to another number or SIP URI at the carrier (cold transfer). */
  transfer(to: string): Promise<void>;
  /** Closes the media stream without touching the call (e.g. after transfer). Emits no `ended`. */
  close(): void;
}
