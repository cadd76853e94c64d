import WebSocket from 'ws';
import { decodeBase64 } from './media-frames.js';
import { SimPlayout } from './sim-playout.js';
import { PCMU_8K, createConverter, telnyxWireFormat } from './transcode.js';
import type { WireFormat } from './transcode.js';

/**
 * The Telnyx side of a media stream, for the call simulator and tests: connects to our media socket, sends
 * `connected` and `start`, then caller audio as `media` frames (20 ms, chunk/sequence numbered, real-time
 * paced, optionally shuffled or duplicated), `dtmf` and `stop`. Agent audio that comes back is recorded as
 * received and "played" at real time: marks are echoed when playback reaches them, `clear` drops what is
 * queued and echoes pending marks (as Telnyx does). Nothing here imports a test framework.
 */
export interface CallerStreamOptions {
  url: string;
  headers?: Record<string, string>;
  callControlId: string;
  callSessionId?: string;
  streamId?: string;
  from?: string;
  to?: string;
  /** As Telnyx sends it: base64. */
  clientState?: string;
  customParameters?: Record<string, string>;
  /** PCMU (default), PCMA, L16; other encodings are announced in `start` but audio is framed as PCMU. */
  mediaFormat?: { encoding: string; sample_rate: number; channels?: number };
  /** Play agent audio at real time (default) or instantly (fast tests). */
  realtimePlayback?: boolean;
}

export interface SendAudioOptions {
  /** ms between frames (20 = real time, 0 = as fast as possible). */
  paceMs?: number;
  /** Shuffle frames within blocks of this many (arrival out of order). */
  shuffleWindow?: number;
  /** Send every n-th frame twice. */
  duplicateEvery?: number;
  seed?: number;
}

export interface TimelineEntry { atMs: number; event: string; detail?: string }

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class TelnyxCallerStream {
  readonly wire: WireFormat;
  readonly frameBytes: number;
  readonly timeline: TimelineEntry[] = [];
  /** Agent media payloads as received (PCMU bytes), and what the caller actually heard. */
  readonly received: Uint8Array[] = [];
  /** The simulated caller's loudspeaker: what was heard, marks echoed, clears honoured. */
  readonly playout: SimPlayout;
  private seq = 0;
  private chunk = 0;
  private readonly t0 = performance.now();
  readonly closed: Promise<void>;

  private constructor(readonly ws: WebSocket, private readonly opts: CallerStreamOptions) {
    const format = { encoding: 'PCMU', sample_rate: 8000, channels: 1, ...opts.mediaFormat };
    this.wire = telnyxWireFormat(format) ?? PCMU_8K;
    this.frameBytes = (this.wire.sampleRate / 50) * (this.wire.encoding === 'pcm16be' ? 2 : 1);
    this.playout = new SimPlayout((name) => this.echoMark(name), opts.realtimePlayback !== false);
    this.closed = new Promise((resolve) => ws.once('close', () => { this.playout.stop(); resolve(); }));
    ws.on('message', (data) => this.onMessage(String(data)));
  }

  /** Opens the socket and sends `connected` and `start`. */
  static async open(opts: CallerStreamOptions): Promise<TelnyxCallerStream> {
    const ws = new WebSocket(opts.url, { headers: opts.headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_q, res) => reject(new Error(`media socket refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
    const stream = new TelnyxCallerStream(ws, opts);
    stream.sendJson({ event: 'connected', version: '1.0.0' });
    stream.sendJson({
      event: 'start', sequence_number: String(++stream.seq), stream_id: stream.streamId,
      start: {
        call_control_id: opts.callControlId, call_session_id: opts.callSessionId, from: opts.from, to: opts.to,
        client_state: opts.clientState, custom_parameters: opts.customParameters ?? {},
        media_format: { encoding: 'PCMU', sample_rate: 8000, channels: 1, ...opts.mediaFormat },
      },
    });
    return stream;
  }

  get streamId(): string {
    return this.opts.streamId ?? `stream-${this.opts.callControlId}`;
  }

  /** ms since the stream opened. */
  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  sendJson(message: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends caller audio (bytes in the stream's media format) as 20 ms media frames. */
  async sendAudio(wire: Uint8Array, options: SendAudioOptions = {}): Promise<void> {
    const frames: string[] = [];
    for (let at = 0; at + this.frameBytes <= wire.length; at += this.frameBytes) {
      const chunk = ++this.chunk;
      frames.push(JSON.stringify({
        event: 'media', sequence_number: String(++this.seq), stream_id: this.streamId,
        media: { track: 'inbound', chunk: String(chunk), timestamp: String((chunk - 1) * 20), payload: Buffer.from(wire.subarray(at, at + this.frameBytes)).toString('base64') },
      }));
    }
    const rand = prng(options.seed ?? 1);
    const w = options.shuffleWindow ?? 0;
    if (w > 1) {
      for (let b = 0; b < frames.length; b += w) {
        for (let i = Math.min(b + w, frames.length) - 1; i > b; i--) {
          const j = b + Math.floor(rand() * (i - b + 1));
          [frames[i], frames[j]] = [frames[j]!, frames[i]!];
        }
      }
    }
    const pace = options.paceMs ?? 20;
    const start = performance.now();
    for (let i = 0; i < frames.length; i++) {
      if (pace > 0) await sleep(Math.max(0, start + i * pace - performance.now()));
      else if (i % 50 === 0) await new Promise((r) => setImmediate(r));
      this.sendJson(frames[i]);
      if (options.duplicateEvery && i % options.duplicateEvery === 0) this.sendJson(frames[i]);
    }
    this.timeline.push({ atMs: this.now(), event: 'caller_audio_sent', detail: `${frames.length} frames` });
  }

  sendDtmf(digit: string): void {
    this.sendJson({ event: 'dtmf', sequence_number: String(++this.seq), stream_id: this.streamId, dtmf: { digit } });
    this.timeline.push({ atMs: this.now(), event: 'dtmf', detail: digit });
  }

  /** Sends `stop` and closes the socket, as Telnyx does when the call ends. */
  async hangup(): Promise<void> {
    this.sendJson({ event: 'stop', sequence_number: String(++this.seq), stream_id: this.streamId, stop: { call_control_id: this.opts.callControlId } });
    this.timeline.push({ atMs: this.now(), event: 'stop' });
    this.ws.close(1000);
    await this.closed;
  }

  /** Everything the agent sent, and everything the caller heard, concatenated (PCMU). */
  receivedAudio(): Uint8Array {
    return Buffer.concat(this.received);
  }
  heardAudio(): Uint8Array {
    return this.playout.heardAudio();
  }
  get marks(): readonly string[] {
    return this.playout.marks;
  }
  get clears(): number {
    return this.playout.clears;
  }

  private onMessage(text: string): void {
    let msg: { event?: string; media?: { payload?: string }; mark?: { name?: string } };
    try { msg = JSON.parse(text); } catch { return void this.timeline.push({ atMs: this.now(), event: 'bad_json' }); }
    if (msg.event === 'media') {
      const bytes = decodeBase64(msg.media?.payload ?? '');
      if (bytes === undefined) return void this.timeline.push({ atMs: this.now(), event: 'bad_media' });
      this.received.push(bytes);
      this.playout.audio(bytes);
    } else if (msg.event === 'mark' && msg.mark?.name) {
      this.playout.mark(msg.mark.name);
    } else if (msg.event === 'clear') {
      this.timeline.push({ atMs: this.now(), event: 'clear', detail: `${this.playout.queuedMs()} ms dropped` });
      this.playout.clear();
    } else {
      this.timeline.push({ atMs: this.now(), event: `unexpected_${String(msg.event)}` });
    }
  }

  private echoMark(name: string): void {
    this.timeline.push({ atMs: this.now(), event: 'mark', detail: name });
    this.sendJson({ event: 'mark', sequence_number: String(++this.seq), stream_id: this.streamId, mark: { name } });
  }
}

/** PCM16 samples at `sampleRate` → bytes in a Telnyx media format (PCMU/PCMA 8 kHz, L16 big-endian). */
export function toTelnyxWire(samples: Int16Array, sampleRate: number, wire: WireFormat): Uint8Array {
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  // Platform PCM16 is little-endian bytes; on a big-endian host this would need a swap (Node targets are LE).
  return createConverter({ encoding: 'pcm16le', sampleRate }, wire)(bytes);
}
