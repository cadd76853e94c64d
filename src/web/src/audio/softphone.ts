import { useSyncExternalStore } from 'react';
import { sessionServerMessage } from '../../../contracts/events';
import { api } from '../api/client';
import { probeFrame, probeSeq } from './probe';
import { VoiceLink } from './voice-link';

export { JITTER_MS } from './audio-pipe';

export type PhoneStatus = 'idle' | 'connecting' | 'in-call' | 'ending' | 'ended' | 'error';

export interface PhoneState {
  status: PhoneStatus;
  sessionId: string | null;
  callId: string | null;
  agent: string | null;
  error: string | null;
  endedReason: string | null;
  muted: boolean;
  /** Peak of the last microphone frames, 0..1. */
  level: number;
  framesSent: number;
  framesReceived: number;
  /** Median socket round trip of the probes (ms), null until one came back (only the echo agent returns them). */
  roundTripMs: number | null;
  probes: number;
  playedMs: number;
  bufferedMs: number;
  underruns: number;
}

const INITIAL: PhoneState = {
  status: 'idle', sessionId: null, callId: null, agent: null, error: null, endedReason: null, muted: false, level: 0,
  framesSent: 0, framesReceived: 0, roundTripMs: null, probes: 0, playedMs: 0, bufferedMs: 0, underruns: 0,
};

const PROBE_EVERY_MS = 1000;

/**
 * The browser leg of a call: a browser-voice session, the microphone through an AudioWorklet (16 kHz PCM16, 20 ms
 * frames) to its socket, received frames through a jitter-buffered playback worklet, `played`/`mark` reports back.
 * One per console (module singleton), so a call survives moving between pages.
 */
export class Softphone {
  private state: PhoneState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private link: VoiceLink | null = null;
  private probeSeq = 0;
  private nextProbeAt = 0;
  private readonly probesSent = new Map<number, number>();
  private readonly roundTrips: number[] = [];
  private peak = 0;

  get snapshot(): PhoneState { return this.state; }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get busy(): boolean { return this.state.status === 'connecting' || this.state.status === 'in-call' || this.state.status === 'ending'; }

  async start(options: { flow?: string } = {}): Promise<void> {
    if (this.busy) return;
    this.reset();
    this.set({ ...INITIAL, status: 'connecting' }, true);
    // The link (and its AudioContext) is created first, inside the click that started the call (autoplay policy).
    const link = new VoiceLink(new URL('/audio/', window.location.href).href, {
      parse: (json) => { const parsed = sessionServerMessage.safeParse(json); return parsed.success ? parsed.data : null; },
      onCall: (callId, agent) => this.set({ status: this.state.status === 'ending' ? 'ending' : 'in-call', callId, agent }, true),
      onError: (message) => this.set({ error: message }, true),
      onClosed: (reason) => { if (this.link === link) this.finish(reason); },
      onStats: (stats) => this.set({ ...stats }),
      outgoing: (frame, peak) => this.outgoing(frame, peak),
      incoming: (frame) => this.incoming(frame),
    });
    this.link = link;
    try {
      const [session] = await Promise.all([
        api.call('createSession', { body: { channel: 'browser-voice', ...(options.flow ? { flow: options.flow } : {}) } }),
        link.prepare(),
      ]);
      if (this.link !== link) return; // hung up meanwhile
      this.set({ sessionId: session.id });
      await link.connect(new URL(session.socketUrl, window.location.href), session.token);
    } catch (err) {
      if (this.link === link) this.fail(err instanceof Error ? err.message : String(err));
    }
  }

  setMuted(muted: boolean): void {
    if (this.link) this.link.muted = muted;
    this.set({ muted, level: muted ? 0 : this.state.level }, true);
  }

  /** Ends the session (the server ends the call and closes the socket); cleans up even if it never answers. */
  hangup(): void {
    if (!this.busy) return;
    const link = this.link;
    if (!link) { this.finish('hung-up'); return; }
    this.set({ status: 'ending' }, true);
    link.hangup();
  }

  /** What goes out for a microphone frame: nothing before the call is up, silence when muted, a probe once a second. */
  private outgoing(frame: ArrayBuffer, peak: number): ArrayBuffer | null {
    if (this.state.status !== 'in-call') return null;
    this.peak = Math.max(this.peak * 0.85, peak);
    this.set({ level: this.peak });
    const now = performance.now();
    if (this.state.muted || now < this.nextProbeAt) return frame;
    this.nextProbeAt = now + PROBE_EVERY_MS;
    const seq = this.probeSeq = (this.probeSeq + 1) & 0x7fff;
    this.probesSent.set(seq, now);
    if (this.probesSent.size > 50) this.probesSent.delete(this.probesSent.keys().next().value as number);
    return probeFrame(seq);
  }

  /** Probes coming back (the echo agent) measure the socket round trip. */
  private incoming(frame: ArrayBuffer): void {
    const seq = probeSeq(frame);
    if (seq === null) return;
    const sentAt = this.probesSent.get(seq);
    this.probesSent.delete(seq);
    if (sentAt === undefined) return;
    const rtt = performance.now() - sentAt;
    this.roundTrips.push(rtt);
    if (this.roundTrips.length > 21) this.roundTrips.shift();
    const sorted = [...this.roundTrips].sort((a, b) => a - b);
    const median = Math.round(sorted[Math.floor(sorted.length / 2)] ?? rtt);
    if (this.roundTrips.length === 1 || this.roundTrips.length % 5 === 0) console.info(`softphone: round trip ${median} ms (${this.roundTrips.length} probes)`);
    this.set({ roundTripMs: median, probes: this.state.probes + 1 });
  }

  private fail(message: string): void {
    this.teardown();
    this.set({ status: 'error', error: message }, true);
  }

  private finish(reason: string): void {
    this.teardown();
    this.set({ status: 'ended', endedReason: reason, level: 0, bufferedMs: 0 }, true);
  }

  private teardown(): void {
    this.link?.dispose();
    this.link = null;
  }

  private reset(): void {
    this.teardown();
    this.nextProbeAt = 0;
    this.probesSent.clear();
    this.roundTrips.length = 0;
    this.peak = 0;
  }

  /** Counters change 50 times a second: listeners hear about them at most every 100 ms; status changes at once. */
  private set(patch: Partial<PhoneState>, now = false): void {
    this.state = { ...this.state, ...patch };
    if (now) {
      if (this.notifyTimer) clearTimeout(this.notifyTimer);
      this.notifyTimer = null;
      this.listeners.forEach((l) => l());
    } else if (!this.notifyTimer) {
      this.notifyTimer = setTimeout(() => { this.notifyTimer = null; this.listeners.forEach((l) => l()); }, 100);
    }
  }
}

export const softphone = new Softphone();

export function useSoftphone(): PhoneState {
  return useSyncExternalStore(softphone.subscribe, () => softphone.snapshot);
}
