import { socketEndpoints } from '../../../contracts/operations';
import { JITTER_MS } from './softphone';

/** How the browser joins a live call's media: both ways (took over), hear only (listen in), speak only (whisper). */
export type CallMediaMode = 'takeover' | 'listen' | 'whisper';

export interface CallMediaState {
  status: 'connecting' | 'open' | 'closed' | 'error';
  framesSent: number;
  framesReceived: number;
  error?: string;
}

const MIC_CONSTRAINTS: MediaStreamConstraints = { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 } };

/**
 * A browser's link to `/api/v1/calls/:id/media`: PCM16 16 kHz frames, with the softphone's capture and jitter-buffered
 * playback worklets. Start it inside a click (autoplay policy); `stop()` releases the microphone and the socket.
 */
export class CallMediaLink {
  private ctx: AudioContext | null = null;
  private stream: MediaStream | null = null;
  private socket: WebSocket | null = null;
  private state: CallMediaState = { status: 'connecting', framesSent: 0, framesReceived: 0 };

  constructor(private readonly callId: string, readonly mode: CallMediaMode, private readonly onState: (s: CallMediaState) => void) {}

  async start(): Promise<void> {
    const speaks = this.mode !== 'listen';
    const hears = this.mode !== 'whisper';
    try {
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      this.ctx = ctx;
      await Promise.all([
        speaks ? ctx.audioWorklet.addModule('/audio/mic-worklet.js') : null,
        hears ? ctx.audioWorklet.addModule('/audio/player-worklet.js') : null,
      ]);
      await ctx.resume();
      let player: AudioWorkletNode | null = null;
      if (hears) {
        player = new AudioWorkletNode(ctx, 'sb-player', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1], processorOptions: { jitterMs: JITTER_MS } });
        player.connect(ctx.destination);
      }
      const url = new URL(socketEndpoints.callMedia.path.replace(':id', encodeURIComponent(this.callId)), window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('mode', this.mode);
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      this.socket = socket;
      socket.addEventListener('open', () => this.set({ status: 'open' }));
      socket.addEventListener('close', () => { if (this.socket === socket) this.stop(); });
      socket.addEventListener('message', (m: MessageEvent<ArrayBuffer | string>) => {
        if (typeof m.data === 'string' || !player) return;
        player.port.postMessage({ frame: m.data }, [m.data]);
        this.set({ framesReceived: this.state.framesReceived + 1 });
      });
      if (speaks) {
        this.stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
        const source = ctx.createMediaStreamSource(this.stream);
        const mic = new AudioWorkletNode(ctx, 'sb-mic', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
        const sink = ctx.createGain();
        sink.gain.value = 0; // keeps the capture worklet pulled without playing the microphone
        source.connect(mic).connect(sink).connect(ctx.destination);
        mic.port.onmessage = (event: MessageEvent<{ frame: ArrayBuffer }>) => {
          if (socket.readyState !== WebSocket.OPEN) return;
          socket.send(event.data.frame);
          this.set({ framesSent: this.state.framesSent + 1 });
        };
      }
    } catch (err) {
      this.set({ status: 'error', error: err instanceof Error ? err.message : String(err) });
      this.stop();
    }
  }

  stop(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'left');
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
    if (this.state.status !== 'error') this.set({ status: 'closed' });
  }

  private set(patch: Partial<CallMediaState>): void {
    this.state = { ...this.state, ...patch };
    this.onState(this.state);
  }
}
