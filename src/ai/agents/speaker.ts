/**
 * The flow agent's mouth: plays synthesized sentences as 20 ms frames, knows which are still playing (by marks),
 * writes each as a final agent transcript once played, or only its heard part when the caller barges in.
 */
import type { AgentContext } from '../../call/agent.js';
import { audioMs } from '../audio-format.js';
import { frames } from './audio.js';

interface Segment {
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
    const ctx = this.ctx;
    const now = ctx.nowMs();
    if (!this.playing) { this.responseMs = 0; this.startedAtMs = now; }
    const durationMs = audio ? audioMs(audio.length, ctx.outputFormat) : 0;
    const last = this.active.at(-1);
    const seg: Segment = { text, interruptible, startMs: Math.max(now, last ? last.startMs + last.durationMs : now), durationMs, offsetMs: this.responseMs, open: true, cut: false };
    ctx.event('flow.say', { text, interruptible, audioMs: Math.round(durationMs) });
    if (!audio || audio.length === 0) return this.written(seg, text, seg.startMs);
    this.responseMs += durationMs;
    this.active.push(seg);
    ctx.transcript({ speaker: 'agent', text, final: false, startMs: Math.round(seg.startMs), endMs: Math.round(seg.startMs + durationMs) });
    for (const frame of frames(audio, ctx.outputFormat)) ctx.play(frame);
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
