import type { TranscriptTurn } from '../agent.js';
import type { CallJournal } from '../journal.js';
import type { CallSession } from '../session.js';
import { decode, LegToBrowser } from './pcm-bridge.js';

/** One speaker's speech turned into text as it is heard: partial turns while they talk, a final one per utterance. */
export interface SpeechStream {
  /** PCM16 samples at the rate the stream was made for. Never blocks (decoding happens off the main loop). */
  push(samples: Int16Array): void;
  close(): Promise<void>;
}

export interface SpeechStreamRequest {
  sampleRate: 8000 | 16000;
  /** 'phone': audio that crossed a phone line; 'wide': a browser microphone. */
  band: 'phone' | 'wide';
  /** The call's time base (ms into the recording), for the turns' times. */
  nowMs: () => number;
  onTurn: (turn: Omit<TranscriptTurn, 'speaker'>) => void;
}

/**
 * Makes speech streams for taken-over calls (the platform passes the local recognizer's, src/call/supervision/
 * local-transcriber.ts). Null when speech recognition is unavailable here: the call then goes untranscribed.
 */
export type Transcriber = (request: SpeechStreamRequest) => Promise<SpeechStream | null>;

/** Audio held while a stream's decoder loads (≈0.5–1.5 s): the first words after a takeover are not lost. */
const MAX_PENDING_SAMPLES = 16000 * 5;

/** A speech stream that holds what is pushed until the real one is ready (or drops it when there is none). */
export class PendingSpeechStream implements SpeechStream {
  private pending: Int16Array[] = [];
  private size = 0;
  private target: SpeechStream | null = null;
  private closed = false;

  constructor(ready: Promise<SpeechStream | null>) {
    void ready.then((stream) => {
      if (this.closed) { void stream?.close(); return; }
      this.target = stream;
      for (const samples of this.pending) stream?.push(samples);
      this.pending = [];
    });
  }

  push(samples: Int16Array): void {
    if (this.closed) return;
    if (this.target) { this.target.push(samples); return; }
    if (this.size + samples.length > MAX_PENDING_SAMPLES) return;
    this.pending.push(Int16Array.from(samples));
    this.size += samples.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    await this.target?.close();
  }
}

/** The caller's transcript while the AI is paused (the agent, which transcribes them otherwise, hears nothing then). */
const callerStreams = new WeakMap<CallSession, { stop: () => void }>();

/** Starts transcribing the caller of a taken-over call, until `stopCallerTranscript` or the end of the call. */
export function startCallerTranscript(transcriber: Transcriber | null | undefined, session: CallSession, journal: CallJournal): void {
  if (!transcriber || callerStreams.has(session) || session.ended) return;
  const ref = { id: session.callId, tenantId: session.tenantId };
  const { input } = session.legFormats;
  // Phone legs stay at 8 kHz (the recognizer's phone band); anything else becomes 16 kHz wide-band.
  const phone = input.sampleRate === 8000;
  const toPcm = phone ? (p: Uint8Array) => decode(p, input) : ((up) => (p: Uint8Array) => up.convert(p))(new LegToBrowser(input));
  const stream = new PendingSpeechStream(transcriber({
    sampleRate: phone ? 8000 : 16000, band: phone ? 'phone' : 'wide', nowMs: () => session.nowMs(),
    onTurn: (turn) => journal.transcript(ref, { speaker: 'caller', ...turn }),
  }).catch((err: unknown) => {
    journal.event(ref, 'takeover.transcript_failed', { speaker: 'caller', error: err instanceof Error ? err.message : String(err) });
    return null;
  }));
  const untap = session.addTap({
    caller: (payload) => stream.push(toPcm(payload)),
    ended: () => stopCallerTranscript(session),
  });
  callerStreams.set(session, { stop: () => { untap(); void stream.close(); } });
}

/** The AI has the call again (or the call ended): the agent transcribes the caller from here on. */
export function stopCallerTranscript(session: CallSession): void {
  const entry = callerStreams.get(session);
  if (!entry) return;
  callerStreams.delete(session);
  entry.stop();
}

/** A stream for the speech of the person who took the call over (their browser's PCM16 16 kHz); usable at once. */
export function humanSpeechStream(transcriber: Transcriber | null | undefined, session: CallSession, journal: CallJournal): SpeechStream | null {
  if (!transcriber) return null;
  const ref = { id: session.callId, tenantId: session.tenantId };
  return new PendingSpeechStream(transcriber({
    sampleRate: 16000, band: 'wide', nowMs: () => session.nowMs(),
    onTurn: (turn) => journal.transcript(ref, { speaker: 'human', ...turn }),
  }).catch((err: unknown) => {
    journal.event(ref, 'takeover.transcript_failed', { speaker: 'human', error: err instanceof Error ? err.message : String(err) });
    return null;
  }));
}
