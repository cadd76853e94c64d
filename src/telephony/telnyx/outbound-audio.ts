import type { LegAudioFormat } from '../../call/leg.js';
import { MULAW_SILENCE } from '../../media/index.js';
import { outboundClear, outboundMark, outboundMedia } from './media-frames.js';
import { PlaybackLedger } from '../playback.js';
import type { EchoKind } from '../playback.js';
import { PCMU_8K, createConverter, legWireFormat } from './transcode.js';
import type { Converter } from './transcode.js';

const FRAME = 160; // 20 ms of PCMU: the smallest chunk Telnyx plays
const SEND_CHUNK = 8000; // 1 s of PCMU per message (Telnyx takes 20 ms to 30 s)

/**
 * Agent audio towards Telnyx: converts the leg's output format to PCMU 8 kHz, sends whole 20 ms frames as
 * base64 `media` (the remainder waits for the next chunk, or is padded with silence before a `mark`), and keeps
 * the playback ledger (queued, played by clock and marks, dropped by `clear`).
 */
export class OutboundAudio {
  private readonly encode: Converter;
  private readonly ledger: PlaybackLedger;
  private carry = new Uint8Array(0);

  constructor(private readonly send: (text: string) => void, format: LegAudioFormat, now?: () => number) {
    this.encode = createConverter(legWireFormat(format), PCMU_8K);
    this.ledger = new PlaybackLedger(now);
  }

  audio(payload: Uint8Array): void {
    if (payload.length === 0) return;
    const pcmu = this.encode(payload);
    const all = this.carry.length === 0 ? pcmu : Buffer.concat([this.carry, pcmu]);
    const whole = all.length - (all.length % FRAME);
    for (let at = 0; at < whole; at += SEND_CHUNK) this.media(all.subarray(at, Math.min(whole, at + SEND_CHUNK)));
    this.carry = all.slice(whole);
  }

  mark(name: string): void {
    if (this.carry.length > 0) {
      const padded = new Uint8Array(FRAME).fill(MULAW_SILENCE);
      padded.set(this.carry);
      this.carry = new Uint8Array(0);
      this.media(padded);
    }
    this.ledger.markSent(name);
    this.send(outboundMark(name));
  }

  /** A mark came back from Telnyx. */
  echoed(name: string): EchoKind {
    return this.ledger.echoed(name);
  }

  /** Sends `clear`; returns the ms dropped unheard and the marks that were pending (to report now). */
  clear(): { droppedMs: number; pendingMarks: string[] } {
    this.carry = new Uint8Array(0);
    this.send(outboundClear());
    return this.ledger.clear();
  }

  playback(): { sentMs: number; playedMs: number } {
    return this.ledger.snapshot();
  }

  private media(bytes: Uint8Array): void {
    this.send(outboundMedia(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64')));
    this.ledger.queued(bytes.length / 8);
  }
}
