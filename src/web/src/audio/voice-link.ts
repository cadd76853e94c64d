/**
 * The browser leg of a browser-voice session, shared by the console softphone and the embeddable widget: the
 * microphone to the session socket, received frames to jitter-buffered playback, and the playback protocol the
 * server's agents rely on (`played` progress, `mark`s echoed once their audio has played, `clear` on barge-in).
 * Like `AudioPipe` it imports no React, API client or zod; the console passes its zod parser in `parse`.
 */
import type { SessionClientMessage, SessionServerMessage } from '../../../contracts/events';
import { AudioPipe, type PlayerReport } from './audio-pipe';

export interface VoiceLinkStats {
  framesSent: number;
  framesReceived: number;
  playedMs: number;
  bufferedMs: number;
  underruns: number;
}

export interface VoiceLinkHooks {
  /** The link is over (ended by the server, hung up, socket lost); called once, after the microphone is released. */
  onClosed(reason: string): void;
  /** The call this session carries. */
  onCall?(callId: string, agent: string): void;
  /** The server reported an error; the link stays up. */
  onError?(message: string): void;
  /** Messages the link does not act on itself (e.g. `transcript`). */
  onMessage?(message: SessionServerMessage): void;
  /** Counters changed (up to ~60 times a second: throttle what you render). */
  onStats?(stats: VoiceLinkStats): void;
  /** A microphone frame and its peak (0..1) before it is sent; answers what to send, or null for nothing. */
  outgoing?(frame: ArrayBuffer, peak: number): ArrayBuffer | null;
  /** A received frame before it is played. */
  incoming?(frame: ArrayBuffer): void;
  /** Validates a control message (the console: zod); default: checks the fields the link and hooks read. */
  parse?(json: unknown): SessionServerMessage | null;
}

/** Playback progress goes to the server at most this often. */
const PLAYED_EVERY_MS = 200;
/** After `end`, the server closes the socket; without an answer in this time the link closes itself. */
const END_WAIT_MS = 3000;
const FRAME_BYTES = 640;

export class VoiceLink {
  readonly stats: VoiceLinkStats = { framesSent: 0, framesReceived: 0, playedMs: 0, bufferedMs: 0, underruns: 0 };
  /** Muted: silence is sent instead of the microphone (the call's timing stays intact). */
  muted = false;
  private readonly pipe: AudioPipe;
  private socket: WebSocket | null = null;
  private receivedMs = 0;
  private marks: { name: string; at: number }[] = [];
  private lastPlayedSent = 0;
  private lastPlayedAt = 0;
  private endedReason: string | null = null;
  private done = false;

  /** Create it inside the click that starts the call: the AudioContext is made here (autoplay policy). */
  constructor(workletBase: string, private readonly hooks: VoiceLinkHooks) {
    this.pipe = new AudioPipe(workletBase);
  }

  get closed(): boolean { return this.done; }

  /** Loads both worklets; run it while the session is being created. */
  prepare(): Promise<void> {
    return this.pipe.load({ mic: true, player: true });
  }

  /** Playback and microphone on, then the session socket. Throws when the microphone is refused. */
  async connect(socketUrl: string | URL, token: string): Promise<void> {
    await this.prepare();
    this.pipe.startPlayer((report) => this.playerReport(report));
    await this.pipe.startMicrophone((frame, peak) => this.micFrame(frame, peak));
    if (this.done) return;
    const url = new URL(socketUrl);
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
      if (this.socket === socket) this.finish(this.endedReason ?? (event.reason || 'socket-closed'));
    });
  }

  /** Asks the server to end the session (it ends the call and closes the socket); closes anyway after 3 s. */
  hangup(): void {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) { this.finish('hung-up'); return; }
    this.send({ type: 'end' });
    setTimeout(() => { if (this.socket === socket) this.finish('hung-up'); }, END_WAIT_MS);
  }

  /** Sends a key press (DTMF) to the agent. */
  dtmf(digit: string): void {
    this.send({ type: 'dtmf', digit });
  }

  /** Releases everything without calling `onClosed` (the owner gave up on the call, e.g. it failed to start). */
  dispose(): void {
    this.done = true;
    this.teardown();
  }

  private finish(reason: string): void {
    if (this.done) return;
    this.done = true;
    this.teardown();
    this.hooks.onClosed(reason);
  }

  private teardown(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'hangup');
    this.pipe.close();
  }

  private control(text: string): void {
    let json: unknown;
    try { json = JSON.parse(text); } catch { return; }
    const message = (this.hooks.parse ?? parseServerMessage)(json);
    if (!message) return;
    switch (message.type) {
      case 'call': this.hooks.onCall?.(message.callId, message.agent); break;
      case 'mark': this.marks.push({ name: message.name, at: this.receivedMs }); this.flushMarks(this.stats.playedMs); break;
      case 'clear':
        this.pipe.clear();
        for (const mark of this.marks) this.send({ type: 'mark', name: mark.name });
        this.marks = [];
        this.receivedMs = this.stats.playedMs;
        break;
      case 'ended': this.endedReason = message.reason; break;
      case 'error': this.hooks.onError?.(message.message); break;
      default: this.hooks.onMessage?.(message);
    }
  }

  private received(frame: ArrayBuffer): void {
    this.hooks.incoming?.(frame);
    this.receivedMs += (frame.byteLength / 2 / 16000) * 1000;
    this.stats.framesReceived++;
    this.pipe.play(frame);
    this.hooks.onStats?.(this.stats);
  }

  private micFrame(frame: ArrayBuffer, peak: number): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const out = this.hooks.outgoing ? this.hooks.outgoing(frame, this.muted ? 0 : peak) : frame;
    if (!out) return;
    socket.send(this.muted ? new ArrayBuffer(FRAME_BYTES) : out);
    this.stats.framesSent++;
    this.hooks.onStats?.(this.stats);
  }

  private playerReport(report: PlayerReport): void {
    Object.assign(this.stats, { playedMs: report.playedMs, bufferedMs: report.queuedMs, underruns: report.underruns });
    const now = performance.now();
    if (report.playedMs !== this.lastPlayedSent && now - this.lastPlayedAt >= PLAYED_EVERY_MS) {
      this.lastPlayedSent = report.playedMs;
      this.lastPlayedAt = now;
      this.send({ type: 'played', ms: report.playedMs });
    }
    this.flushMarks(report.playedMs);
    this.hooks.onStats?.(this.stats);
  }

  /** Echoes every mark whose audio has all been played. */
  private flushMarks(playedMs: number): void {
    while (this.marks.length > 0 && this.marks[0]!.at <= playedMs + 1) this.send({ type: 'mark', name: this.marks.shift()!.name });
  }

  private send(message: SessionClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

const str = (v: unknown): v is string => typeof v === 'string';

/**
 * A structural check of the session messages the link and its hooks read, for pages without zod (the widget);
 * anything else is dropped.
 */
export function parseServerMessage(json: unknown): SessionServerMessage | null {
  if (typeof json !== 'object' || json === null) return null;
  const m = json as Record<string, unknown>;
  switch (m['type']) {
    case 'call': return str(m['callId']) && str(m['agent']) ? { type: 'call', callId: m['callId'], agent: m['agent'] } : null;
    case 'mark': return str(m['name']) ? { type: 'mark', name: m['name'] } : null;
    case 'clear': return { type: 'clear' };
    case 'ended': return str(m['reason']) ? { type: 'ended', reason: m['reason'] } : null;
    case 'error': return str(m['code']) && str(m['message']) ? { type: 'error', code: m['code'], message: m['message'] } : null;
    case 'transcript':
      return (m['speaker'] === 'caller' || m['speaker'] === 'agent') && str(m['text']) && typeof m['final'] === 'boolean'
        ? { type: 'transcript', speaker: m['speaker'], text: m['text'], final: m['final'] } : null;
    default: return null;
  }
}
