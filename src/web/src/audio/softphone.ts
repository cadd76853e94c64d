import { useSyncExternalStore } from 'react';
import { sessionServerMessage, type SessionClientMessage } from '../../../contracts/events';
import { api } from '../api/client';
import { probeFrame, probeSeq, FRAME_SAMPLES } from './probe';

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

/** ~60 ms of received audio is buffered before playback starts (and after an underrun). */
export const JITTER_MS = 60;
const PROBE_EVERY_MS = 1000;
const PLAYED_EVERY_MS = 200;
const MIC_CONSTRAINTS: MediaStreamConstraints = { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 } };

/**
 * The browser leg of a call: a browser-voice session, the microphone through an AudioWorklet (16 kHz PCM16, 20 ms
 * frames) to its socket, received frames through a jitter-buffered playback worklet, `played`/`mark` reports back.
 * One per console (module singleton), so a call survives moving between pages.
 */
export class Softphone {
  private state: PhoneState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private socket: WebSocket | null = null;
  private ctx: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private player: AudioWorkletNode | null = null;
  private receivedMs = 0;
  private marks: { name: string; at: number }[] = [];
  private lastPlayedSent = 0;
  private lastPlayedAt = 0;
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
    try {
      // The AudioContext is created first, inside the click that started the call (autoplay policy).
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      this.ctx = ctx;
      const [session] = await Promise.all([
        api.call('createSession', { body: { channel: 'browser-voice', ...(options.flow ? { flow: options.flow } : {}) } }),
        ctx.audioWorklet.addModule('/audio/mic-worklet.js'),
        ctx.audioWorklet.addModule('/audio/player-worklet.js'),
      ]);
      this.set({ sessionId: session.id });
      this.stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
      if (this.ctx !== ctx) return; // hung up meanwhile
      await ctx.resume();
      this.wireAudio(ctx, this.stream);
      this.openSocket(session.socketUrl, session.token);
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
  }

  setMuted(muted: boolean): void {
    this.set({ muted, level: muted ? 0 : this.state.level }, true);
  }

  /** Ends the session (the server ends the call and closes the socket); cleans up even if it never answers. */
  hangup(): void {
    if (!this.busy) return;
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) {
      this.set({ status: 'ending' }, true);
      this.send({ type: 'end' });
      setTimeout(() => { if (this.socket === socket) this.finish('hung-up'); }, 3000);
    } else {
      this.finish('hung-up');
    }
  }

  private wireAudio(ctx: AudioContext, stream: MediaStream): void {
    const source = ctx.createMediaStreamSource(stream);
    const mic = new AudioWorkletNode(ctx, 'sb-mic', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
    const sink = ctx.createGain();
    sink.gain.value = 0; // keeps the capture worklet pulled without playing the microphone
    source.connect(mic).connect(sink).connect(ctx.destination);
    mic.port.onmessage = (event: MessageEvent<{ frame: ArrayBuffer; peak: number }>) => this.micFrame(event.data.frame, event.data.peak);

    const player = new AudioWorkletNode(ctx, 'sb-player', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { jitterMs: JITTER_MS } });
    player.connect(ctx.destination);
    player.port.onmessage = (event: MessageEvent<{ playedMs: number; queuedMs: number; underruns: number }>) => this.playerReport(event.data);
    this.player = player;
  }

  private openSocket(socketUrl: string, token: string): void {
    const url = new URL(socketUrl, window.location.href);
    url.searchParams.set('token', token);
    const socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.addEventListener('message', (message: MessageEvent<ArrayBuffer | string>) => {
      if (this.socket !== socket) return;
      if (typeof message.data === 'string') this.control(message.data);
      else this.received(message.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.finish(this.state.endedReason ?? (event.reason || 'socket-closed'));
    });
  }

  private control(text: string): void {
    let json: unknown;
    try { json = JSON.parse(text); } catch { return; }
    const parsed = sessionServerMessage.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'call': this.set({ status: 'in-call', callId: message.callId, agent: message.agent }, true); break;
      case 'mark': this.marks.push({ name: message.name, at: this.receivedMs }); this.flushMarks(this.state.playedMs); break;
      case 'clear':
        this.player?.port.postMessage({ clear: true });
        for (const mark of this.marks) this.send({ type: 'mark', name: mark.name });
        this.marks = [];
        this.receivedMs = this.state.playedMs;
        break;
      case 'ended': this.set({ endedReason: message.reason }); break;
      case 'error': this.set({ error: message.message }, true); break;
      default: break;
    }
  }

  private received(frame: ArrayBuffer): void {
    const seq = probeSeq(frame);
    if (seq !== null) {
      const sentAt = this.probesSent.get(seq);
      this.probesSent.delete(seq);
      if (sentAt !== undefined) {
        const rtt = performance.now() - sentAt;
        this.roundTrips.push(rtt);
        if (this.roundTrips.length > 21) this.roundTrips.shift();
        const sorted = [...this.roundTrips].sort((a, b) => a - b);
        const median = Math.round(sorted[Math.floor(sorted.length / 2)] ?? rtt);
        if (this.roundTrips.length === 1 || this.roundTrips.length % 5 === 0) console.info(`softphone: round trip ${median} ms (${this.roundTrips.length} probes)`);
        this.set({ roundTripMs: median, probes: this.state.probes + 1 });
      }
    }
    this.receivedMs += (frame.byteLength / 2 / 16000) * 1000;
    this.set({ framesReceived: this.state.framesReceived + 1 });
    this.player?.port.postMessage({ frame }, [frame]);
  }

  private micFrame(frame: ArrayBuffer, peak: number): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.state.status !== 'in-call') return;
    let out = frame;
    const now = performance.now();
    if (this.state.muted) out = new ArrayBuffer(FRAME_SAMPLES * 2);
    else if (now >= this.nextProbeAt) {
      this.nextProbeAt = now + PROBE_EVERY_MS;
      const seq = this.probeSeq = (this.probeSeq + 1) & 0x7fff;
      this.probesSent.set(seq, now);
      if (this.probesSent.size > 50) this.probesSent.delete(this.probesSent.keys().next().value as number);
      out = probeFrame(seq);
    }
    socket.send(out);
    this.peak = Math.max(this.peak * 0.85, this.state.muted ? 0 : peak);
    this.set({ framesSent: this.state.framesSent + 1, level: this.peak });
  }

  private playerReport(report: { playedMs: number; queuedMs: number; underruns: number }): void {
    this.set({ playedMs: report.playedMs, bufferedMs: report.queuedMs, underruns: report.underruns });
    const now = performance.now();
    if (report.playedMs !== this.lastPlayedSent && now - this.lastPlayedAt >= PLAYED_EVERY_MS) {
      this.lastPlayedSent = report.playedMs;
      this.lastPlayedAt = now;
      this.send({ type: 'played', ms: report.playedMs });
    }
    this.flushMarks(report.playedMs);
  }

  /** Echoes every mark whose audio has all been played. */
  private flushMarks(playedMs: number): void {
    while (this.marks.length > 0 && this.marks[0]!.at <= playedMs + 1) this.send({ type: 'mark', name: this.marks.shift()!.name });
  }

  private send(message: SessionClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
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
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'hangup');
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
    this.player = null;
  }

  private reset(): void {
    this.teardown();
    this.receivedMs = 0;
    this.marks = [];
    this.lastPlayedSent = 0;
    this.lastPlayedAt = 0;
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
