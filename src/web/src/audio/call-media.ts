import { socketEndpoints } from '../../../contracts/operations';
import { AudioPipe } from './audio-pipe';

/** How the browser joins a live call's media: both ways (took over), hear only (listen in), speak only (whisper). */
export type CallMediaMode = 'takeover' | 'listen' | 'whisper';

export interface CallMediaState {
  status: 'connecting' | 'open' | 'closed' | 'error';
  framesSent: number;
  framesReceived: number;
  error?: string;
}

/**
 * A browser's link to `/api/v1/calls/:id/media`: PCM16 16 kHz frames, with the softphone's capture and jitter-buffered
 * playback worklets (`AudioPipe`). Start it inside a click (autoplay policy); `stop()` releases the microphone and the socket.
 */
export class CallMediaLink {
  private pipe: AudioPipe | null = null;
  private socket: WebSocket | null = null;
  private state: CallMediaState = { status: 'connecting', framesSent: 0, framesReceived: 0 };

  constructor(private readonly callId: string, readonly mode: CallMediaMode, private readonly onState: (s: CallMediaState) => void) {}

  async start(): Promise<void> {
    const speaks = this.mode !== 'listen';
    const hears = this.mode !== 'whisper';
    try {
      const pipe = new AudioPipe(new URL('/audio/', window.location.href).href);
      this.pipe = pipe;
      await pipe.load({ mic: speaks, player: hears });
      if (hears) pipe.startPlayer();
      const url = new URL(socketEndpoints.callMedia.path.replace(':id', encodeURIComponent(this.callId)), window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('mode', this.mode);
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      this.socket = socket;
      socket.addEventListener('open', () => this.set({ status: 'open' }));
      socket.addEventListener('close', () => { if (this.socket === socket) this.stop(); });
      socket.addEventListener('message', (m: MessageEvent<ArrayBuffer | string>) => {
        if (typeof m.data === 'string' || !hears) return;
        pipe.play(m.data);
        this.set({ framesReceived: this.state.framesReceived + 1 });
      });
      if (speaks) {
        await pipe.startMicrophone((frame) => {
          if (socket.readyState !== WebSocket.OPEN) return;
          socket.send(frame);
          this.set({ framesSent: this.state.framesSent + 1 });
        });
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
    this.pipe?.close();
    this.pipe = null;
    if (this.state.status !== 'error') this.set({ status: 'closed' });
  }

  private set(patch: Partial<CallMediaState>): void {
    this.state = { ...this.state, ...patch };
    this.onState(this.state);
  }
}
