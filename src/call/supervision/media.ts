import type { CallSession } from '../session.js';
import type { SpeechStream } from './live-transcript.js';
import { BrowserToLeg, decode, LegToBrowser, toBytes } from './pcm-bridge.js';

const BROWSER_PCM = { encoding: 'pcm16', sampleRate: 16000 } as const;

/** Whisper or outbound audio waiting to be mixed: at most 1 s at 16 kHz, older samples dropped. */
const MAX_PENDING = 16000;

/** Samples queued for mixing into a stream that paces itself (caller frames arrive in real time). */
class MixQueue {
  private chunks: Int16Array[] = [];
  private size = 0;

  push(samples: Int16Array): void {
    this.chunks.push(Int16Array.from(samples));
    this.size += samples.length;
    while (this.size > MAX_PENDING && this.chunks.length > 0) this.size -= this.chunks.shift()!.length;
  }

  /** Adds up to `into.length` queued samples into `into` (saturating) and consumes them. */
  mixInto(into: Int16Array): Int16Array {
    let i = 0;
    while (i < into.length && this.chunks.length > 0) {
      const head = this.chunks[0]!;
      const n = Math.min(head.length, into.length - i);
      for (let k = 0; k < n; k++) into[i + k] = Math.max(-32768, Math.min(32767, into[i + k]! + head[k]!));
      i += n;
      this.size -= n;
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    return into;
  }
}

/** The people whose browsers hear a call: human agents (for whispers) per live session. */
const humans = new WeakMap<CallSession, Set<HumanLeg>>();

/**
 * A person's browser on a taken-over call: hears the caller (PCM16 16 kHz), speaks to the caller through the leg
 * (resampled/encoded to its format) and hears whispers mixed into what it plays, which never reach the caller.
 */
export class HumanLeg {
  private readonly up: BrowserToLeg;
  private readonly whispers = new MixQueue();
  private readonly stop: () => void;
  /** What the person says, transcribed (src/call/supervision/live-transcript.ts); null when not transcribed. */
  private transcript: SpeechStream | null = null;
  private closed = false;

  constructor(private readonly session: CallSession, send: (pcm16k: Uint8Array) => void, onEnded: () => void) {
    const { input, output } = session.legFormats;
    this.up = new BrowserToLeg(output);
    const down = new LegToBrowser(input);
    this.stop = session.addTap({
      caller: (payload) => send(toBytes(this.whispers.mixInto(down.convert(payload)))),
      ended: onEnded,
    });
    let set = humans.get(session);
    if (!set) humans.set(session, set = new Set());
    set.add(this);
  }

  /** A frame of the person's microphone (PCM16 LE 16 kHz); false when it is not PCM16. */
  speak(bytes: Uint8Array): boolean {
    const out = this.up.convert(bytes);
    if (!out) return false;
    // Once handed back, the AI speaks again: a browser still connected is no longer heard by the caller.
    if (out.length > 0 && this.session.agentPaused) {
      this.session.speak(out);
      this.transcript?.push(decode(bytes, BROWSER_PCM));
    }
    return true;
  }

  /** Transcribes what the person says from now on (closed with the leg). */
  transcribe(stream: SpeechStream | null): void {
    if (this.closed) { void stream?.close(); return; }
    this.transcript = stream;
  }

  whisper(samples: Int16Array): void {
    this.whispers.push(samples);
  }

  close(): void {
    this.closed = true;
    this.stop();
    humans.get(this.session)?.delete(this);
    void this.transcript?.close();
    this.transcript = null;
  }
}

/** A supervisor's microphone into the ears of the human agents on the call only (never the leg, never the recording). */
export class Whisper {
  constructor(private readonly session: CallSession) {}

  /** False when the frame is not PCM16; the count of human agents who got it otherwise. */
  speak(bytes: Uint8Array): number | false {
    if (bytes.length % 2 !== 0) return false;
    const samples = decode(bytes, BROWSER_PCM);
    const targets = humans.get(this.session) ?? new Set<HumanLeg>();
    for (const h of targets) h.whisper(samples);
    return targets.size;
  }
}

/** Receive-only: the caller and what the caller hears (AI or human), mixed, PCM16 16 kHz, paced by the caller's frames. */
export class ListenIn {
  private readonly stop: () => void;

  constructor(session: CallSession, send: (pcm16k: Uint8Array) => void, onEnded: () => void) {
    const { input, output } = session.legFormats;
    const fromCaller = new LegToBrowser(input);
    const fromAgent = new LegToBrowser(output);
    const outbound = new MixQueue();
    this.stop = session.addTap({
      caller: (payload) => send(toBytes(outbound.mixInto(fromCaller.convert(payload)))),
      outbound: (payload) => outbound.push(fromAgent.convert(payload)),
      ended: onEnded,
    });
  }

  close(): void {
    this.stop();
  }
}
