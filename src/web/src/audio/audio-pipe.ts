/**
 * Call audio in the browser, shared by the console (softphone, listen-in) and the embeddable widget: one
 * AudioContext, the capture worklet (microphone → 20 ms PCM16 16 kHz frames) and the jitter-buffered playback
 * worklet (public/audio). It imports nothing (no React, no API client, no zod) so the widget bundle stays small.
 */

/** ~60 ms of received audio is buffered before playback starts (and after an underrun). */
export const JITTER_MS = 60;

/** Echo cancellation and noise suppression on: the caller's own speaker must not reach the agent. */
export const MIC_CONSTRAINTS: MediaStreamConstraints = { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 } };

/** What the playback worklet reports about 10 times a second. */
export interface PlayerReport {
  /** ms of received audio played so far (the `played` the server wants, and when `mark`s are due). */
  playedMs: number;
  queuedMs: number;
  underruns: number;
}

export class AudioPipe {
  readonly ctx: AudioContext;
  private stream: MediaStream | null = null;
  private player: AudioWorkletNode | null = null;
  private closed = false;
  private readonly modules = new Map<string, Promise<void>>();

  /**
   * Create it inside the click that starts the call (autoplay policy). `workletBase` is the folder that serves
   * `mic-worklet.js` and `player-worklet.js` (the console's `/audio/`, the widget's `<host>/widget/audio/`).
   */
  constructor(private readonly workletBase: string) {
    this.ctx = new AudioContext({ latencyHint: 'interactive' });
  }

  get isClosed(): boolean { return this.closed; }

  /** Loads a worklet once (start it early: it runs while the session is being created), then resumes the context. */
  async load(parts: { mic: boolean; player: boolean }): Promise<void> {
    await Promise.all([parts.mic ? this.module('mic-worklet.js') : null, parts.player ? this.module('player-worklet.js') : null]);
    await this.ctx.resume();
  }

  private module(file: string): Promise<void> {
    let loading = this.modules.get(file);
    if (!loading) {
      loading = this.ctx.audioWorklet.addModule(new URL(file, this.workletBase).href);
      this.modules.set(file, loading);
    }
    return loading;
  }

  /** Plays received frames through the jitter buffer; `onReport` hears about playback progress. */
  startPlayer(onReport?: (report: PlayerReport) => void): void {
    if (this.closed || this.player) return;
    const player = new AudioWorkletNode(this.ctx, 'sb-player', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { jitterMs: JITTER_MS } });
    player.connect(this.ctx.destination);
    if (onReport) player.port.onmessage = (event: MessageEvent<PlayerReport>) => onReport(event.data);
    this.player = player;
  }

  /** Opens the microphone; every 20 ms frame (640 bytes) and its peak (0..1) go to `onFrame`. */
  async startMicrophone(onFrame: (frame: ArrayBuffer, peak: number) => void): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
    if (this.closed) { for (const track of stream.getTracks()) track.stop(); return; }
    this.stream = stream;
    const source = this.ctx.createMediaStreamSource(stream);
    const mic = new AudioWorkletNode(this.ctx, 'sb-mic', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
    const sink = this.ctx.createGain();
    sink.gain.value = 0; // keeps the capture worklet pulled without playing the microphone
    source.connect(mic).connect(sink).connect(this.ctx.destination);
    mic.port.onmessage = (event: MessageEvent<{ frame: ArrayBuffer; peak: number }>) => onFrame(event.data.frame, event.data.peak);
  }

  /** Queues one received PCM16 frame for playback (the buffer is handed over, not copied). */
  play(frame: ArrayBuffer): void {
    this.player?.port.postMessage({ frame }, [frame]);
  }

  /** Drops whatever is queued (barge-in). */
  clear(): void {
    this.player?.port.postMessage({ clear: true });
  }

  /** Releases the microphone and the audio device. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.player = null;
    void this.ctx.close().catch(() => undefined);
  }
}
