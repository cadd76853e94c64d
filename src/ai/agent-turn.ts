/**
 * One agent response as every provider session tracks it: its text, how much audio it produced, where it sits
 * on the input timeline, and whether it was cut (by the provider) or stopped (by `interrupt()`).
 */
import { heardText } from './heard-text.js';
import type { AiEvent, EndReason } from './session.js';

export class AgentTurn {
  readonly id: string;
  /** Provider message sequence number when the turn began (orders it against caller turns). */
  readonly seq: number;
  text = '';
  audioMs = 0;
  /** Input timeline when the first audio came out. */
  startMs: number | undefined;
  /** The provider is still generating. */
  generating = true;
  /** `turn_end` was emitted. */
  ended = false;
  /** The provider cut the response because the caller spoke (`interrupted` emitted), awaiting `interrupt()`. */
  cut = false;
  /** `interrupt()` applied: anything more the provider sends for this turn is dropped. */
  stopped = false;
  hadToolCall = false;
  /** Provider item that carries the audio (OpenAI truncates it). */
  audioItemId: string | undefined;
  /** Spoken pieces with the audio offset each began at (the cascade speaks sentence by sentence). */
  private readonly segments: { text: string; atMs: number }[] = [];

  constructor(id: string, seq: number) {
    this.id = id;
    this.seq = seq;
  }

  /** Counts audio that was emitted; the first chunk fixes the turn's start on the input timeline. */
  addAudio(ms: number, inputMs: number): void {
    if (this.startMs === undefined) this.startMs = inputMs;
    this.audioMs += ms;
  }

  /** A piece of text whose audio starts now (at the current `audioMs`). */
  addSegment(text: string): void {
    this.segments.push({ text, atMs: this.audioMs });
    this.text = this.text ? `${this.text} ${text}` : text;
  }

  partial(inputMs: number): AiEvent {
    const startMs = this.startMs ?? inputMs;
    return { type: 'transcript', speaker: 'agent', text: this.text.trim(), final: false, startMs, endMs: startMs + this.audioMs, responseId: this.id };
  }

  /** The final transcript: all of it, or (heardMs given) only what the caller heard. */
  final(inputMs: number, heardMs?: number): AiEvent & { type: 'transcript' } {
    const startMs = this.startMs ?? inputMs;
    const truncated = heardMs !== undefined && (heardMs < this.audioMs || this.generating);
    const audioMs = heardMs === undefined ? this.audioMs : Math.min(heardMs, this.audioMs);
    const text = truncated ? this.heard(audioMs) : this.text.trim();
    return {
      type: 'transcript',
      speaker: 'agent',
      text,
      final: true,
      startMs,
      endMs: startMs + audioMs,
      responseId: this.id,
      audioMs,
      ...(truncated ? { truncated: true } : {}),
    };
  }

  private heard(heardMs: number): string {
    if (this.segments.length === 0) return heardText(this.text.trim(), heardMs, this.audioMs);
    const words: string[] = [];
    for (let i = 0; i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      const endMs = this.segments[i + 1]?.atMs ?? this.audioMs;
      if (heardMs <= segment.atMs) break;
      const part = heardMs >= endMs ? segment.text : heardText(segment.text, heardMs - segment.atMs, endMs - segment.atMs);
      if (part) words.push(part);
    }
    return words.join(' ');
  }

  endReason(): EndReason {
    if (this.hadToolCall) return 'tool_call';
    return this.cut || this.stopped ? 'interrupted' : 'completed';
  }
}
