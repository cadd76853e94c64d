/**
 * The flow agent's mouth: plays synthesized sentences as 20 ms frames, knows which are still playing (by marks),
 * writes each as a final agent transcript once played, or only its heard part when the caller barges in.
 */
import type { AgentContext } from '../../call/agent.js';
import { audioMs } from '../audio-format.js';
import { frames } from './audio.js';

export interface Segment {
  text: string;
  interruptible: boolean;
  startMs: number;
  durationMs: number;
  /** Where this segment starts within the current response (audio queued since the line was idle). */
  offsetMs: number;
  open: boolean;
  cut: boolean;
}

export class Speaker {
  private readonly active: Segment[] = [];
  private responseMs = 0;
  private marks = 0;
  /** When the current stretch of agent audio began (ms, call clock): the echo guard window counts from here. */
  startedAtMs = 0;

  constructor(private readonly ctx: AgentContext) {}

  /** Agent audio is (probably) still playing. */
  get playing(): boolean { return this.active.length > 0; }
  /** What the caller hears now may be cut. */
  get interruptible(): boolean { return this.active[0]?.interruptible ?? true; }

  /** Plays one sentence (audio may be null when no voice is available: the transcript is still written). */
  say(text: string, audio: Uint8Array | null, interruptible: boolean): void {
    const seg = this.begin(text, audio, interruptible);
    if (seg) this.end(seg);
  }

  /**
   * Starts a sentence with its first piece of audio; `more()` adds pieces synthesized later, `end()` closes it.
   * Null when there is no audio (the transcript is written at once).
   */
  begin(text: string, audio: Uint8Array | null, interruptible: boolean): Segment | null {
    const ctx = this.ctx;
    const now = ctx.nowMs();
    if (!this.playing) { this.responseMs = 0; this.startedAtMs = now; }
    const last = this.active.at(-1);
    const seg: Segment = { text, interruptible, startMs: Math.max(now, last ? last.startMs + last.durationMs : now), durationMs: 0, offsetMs: this.responseMs, open: true, cut: false };
    if (!audio || audio.length === 0) {
      ctx.event('flow.say', { text, interruptible, audioMs: 0 });
      this.written(seg, text, seg.startMs);
      return null;
    }
    this.active.push(seg);
    this.more(seg, audio);
    return seg;
  }

  more(seg: Segment, audio: Uint8Array | null): void {
    if (seg.cut || !seg.open || !audio || audio.length === 0) return;
    const ms = audioMs(audio.length, this.ctx.outputFormat);
    seg.durationMs += ms;
    this.responseMs += ms;
    for (const frame of frames(audio, this.ctx.outputFormat)) this.ctx.play(frame);
  }

  end(seg: Segment): void {
    const ctx = this.ctx;
    ctx.event('flow.say', { text: seg.text, interruptible: seg.interruptible, audioMs: Math.round(seg.durationMs) });
    if (seg.cut || !seg.open) return;
    ctx.transcript({ speaker: 'agent', text: seg.text, final: false, startMs: Math.round(seg.startMs), endMs: Math.round(seg.startMs + seg.durationMs) });
    ctx.mark(`flow-say-${++this.marks}`, () => this.done(seg));
  }

  /** Stops agent audio now; the cut segments are written with what was heard. Returns heard ms. */
  bargeIn(): number {
    const cut = this.active.splice(0);
    for (const seg of cut) seg.cut = true;
    const heardMs = this.ctx.interrupt();
    for (const seg of cut) {
      const heard = Math.max(0, Math.min(seg.durationMs, heardMs - seg.offsetMs));
      if (heard <= 0) continue;
      const words = seg.text.split(/\s+/);
      const kept = words.slice(0, Math.max(1, Math.round((words.length * heard) / seg.durationMs))).join(' ');
      this.written(seg, kept, seg.startMs + heard);
    }
    return heardMs;
  }

  /** Resolves once everything queued has played (or was cut), or after `maxMs`. */
  drain(maxMs = 30_000): Promise<void> {
    if (!this.playing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxMs);
      timer.unref();
      this.ctx.mark(`flow-drain-${++this.marks}`, () => { clearTimeout(timer); resolve(); });
    });
  }

  private done(seg: Segment): void {
    const i = this.active.indexOf(seg);
    if (i >= 0) this.active.splice(i, 1);
    if (!seg.cut) this.written(seg, seg.text, seg.startMs + seg.durationMs);
  }

  private written(seg: Segment, text: string, endMs: number): void {
    if (!seg.open) return;
    seg.open = false;
    this.ctx.transcript({ speaker: 'agent', text, final: true, startMs: Math.round(seg.startMs), endMs: Math.round(endMs) });
  }
}
