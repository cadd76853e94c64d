import type { WebSocket } from 'ws';
import { MEDIA_SUFFIX, clearMessage, markMessage, mediaPrefix } from './media-messages.js';
import { MULAW_BYTES_PER_MS, PlaybackTracker } from './playback.js';
import type { EchoResult, PlaybackOptions } from './playback.js';

export interface MediaSenderOptions extends PlaybackOptions {
  /** Outbound media message size (ms of audio, default 20). */
  chunkMs?: number;
  /** Send a playback mark at least this often (ms of audio, default 100); a lone tail is marked after this long. */
  markIntervalMs?: number;
}

/** Prefix of the marks the sender adds for playback accounting; they are never reported as the owner's marks. */
export const INTERNAL_MARK_PREFIX = 'sb.p.';

/**
 * Server → Twilio half of a media stream: `media` (base64 μ-law in fixed-size chunks), `mark`, `clear`, and the
 * playback accounting their echoes give. No JSON.stringify and no intermediate buffer on the media path.
 */
export class TwilioMediaSender {
  private readonly tracker: PlaybackTracker;
  private readonly prefix: string;
  private readonly chunkBytes: number;
  private readonly markBytes: number;
  private tailTimer: NodeJS.Timeout | null = null;
  private markSeq = 0;
  private closed = false;
  framesOut = 0;

  constructor(private readonly ws: WebSocket, readonly streamSid: string, opts: MediaSenderOptions = {}) {
    this.tracker = new PlaybackTracker(opts);
    this.prefix = mediaPrefix(streamSid);
    this.chunkBytes = Math.max(1, Math.round((opts.chunkMs ?? 20) * MULAW_BYTES_PER_MS));
    this.markBytes = Math.max(1, Math.round((opts.markIntervalMs ?? 100) * MULAW_BYTES_PER_MS));
  }

  /** Queues μ-law 8 kHz audio of any length at Twilio. */
  sendAudio(payload: Uint8Array): void {
    if (!this.open() || payload.length === 0) return;
    const buf = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    for (let off = 0; off < buf.length; off += this.chunkBytes) {
      const end = Math.min(off + this.chunkBytes, buf.length);
      this.ws.send(this.prefix + buf.toString('base64', off, end) + MEDIA_SUFFIX);
      this.framesOut++;
      this.tracker.sent(end - off);
      if (this.tracker.unmarkedBytes >= this.markBytes) this.sendMark(INTERNAL_MARK_PREFIX + ++this.markSeq, true);
    }
    if (this.tracker.unmarkedBytes > 0 && !this.tailTimer) {
      this.tailTimer = setTimeout(() => {
        this.tailTimer = null;
        if (this.tracker.unmarkedBytes > 0 && this.open()) this.sendMark(INTERNAL_MARK_PREFIX + ++this.markSeq, true);
      }, this.markBytes / MULAW_BYTES_PER_MS);
      this.tailTimer.unref();
    }
  }

  /** A named mark after everything sent so far; Twilio echoes it once played (or at a clear). */
  mark(name: string): void {
    if (this.open()) this.sendMark(name, false);
  }

  /** Empties Twilio's playback buffer: the ms dropped unheard, and the owner's marks that were pending. */
  clear(): { droppedMs: number; pendingUserMarks: string[] } {
    if (!this.open()) return { droppedMs: 0, pendingUserMarks: [] };
    this.ws.send(clearMessage(this.streamSid));
    if (this.tailTimer) { clearTimeout(this.tailTimer); this.tailTimer = null; }
    const { droppedBytes, pendingUserMarks } = this.tracker.clear();
    return { droppedMs: droppedBytes / MULAW_BYTES_PER_MS, pendingUserMarks };
  }

  /** Twilio echoed a mark: ours (`internal`), the owner's (`user`), one pending at a clear, or one never sent. */
  echoed(name: string): EchoResult {
    return this.tracker.echoed(name);
  }

  playback(): { sentMs: number; playedMs: number } {
    return this.tracker.snapshot();
  }

  /** The stream stopped: nothing more is sent. */
  stop(): void {
    this.closed = true;
    if (this.tailTimer) { clearTimeout(this.tailTimer); this.tailTimer = null; }
  }

  private open(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  private sendMark(name: string, internal: boolean): void {
    this.ws.send(markMessage(this.streamSid, name));
    this.tracker.marked(name, internal);
  }
}
