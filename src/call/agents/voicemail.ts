import { EnergyVad, SpeechDetector } from '../../media/index.js';
import type { AgentContext, AgentSession } from '../agent.js';
import { Pcm16Decoder } from '../audio.js';
import { beep, type GreetingCache } from './greeting.js';

export interface VoicemailOptions {
  greeting: string;
  language?: string | undefined;
  voice?: string | undefined;
  /** Longest message, ms (default 120 000). */
  maxMs?: number;
  /** Silence after speech that ends the message, ms (default 3000). */
  silenceMs?: number;
  /** No speech at all this long after the beep ends the message, ms (default 10 000). */
  noSpeechMs?: number;
}

export const DEFAULT_VOICEMAIL_GREETING = 'Hello. Nobody can take your call right now. Please leave a message after the tone.';

type Phase = 'greeting' | 'beep' | 'recording' | 'done';

/**
 * Greeting (synthesized, or a tone) → beep → the caller speaks → ends on silence, no speech, max length or hang-up.
 * The message is the part of the call recording between `voicemail.recording_started` and `voicemail.recording_ended`
 * (their `atMs` are positions in the recording). Time is counted in caller audio, so tests need no clock.
 */
export class VoicemailAgent implements AgentSession {
  readonly kind = 'voicemail';
  private ctx: AgentContext | null = null;
  private phase: Phase = 'greeting';
  private decoder: Pcm16Decoder | null = null;
  private detector: SpeechDetector | null = null;
  private startedAtMs = 0;
  private heardMs = 0;
  private spoke = false;
  private backstop: NodeJS.Timeout | undefined;
  private readonly maxMs: number;
  private readonly silenceMs: number;
  private readonly noSpeechMs: number;

  constructor(private readonly greetings: GreetingCache, private readonly options: VoicemailOptions) {
    this.maxMs = options.maxMs ?? 120_000;
    this.silenceMs = options.silenceMs ?? 3000;
    this.noSpeechMs = options.noSpeechMs ?? 10_000;
  }

  async start(ctx: AgentContext): Promise<void> {
    this.ctx = ctx;
    this.decoder = new Pcm16Decoder(ctx.inputFormat);
    const greeting = await this.greetings.get(this.options.greeting, ctx.outputFormat, {
      ...(this.options.language ? { language: this.options.language } : {}), ...(this.options.voice ? { voice: this.options.voice } : {}),
    });
    if (this.phase !== 'greeting') return; // hung up while the greeting was being synthesized
    ctx.event('voicemail.greeting_started', { source: greeting.source, atMs: Math.round(ctx.nowMs()), ...(greeting.error ? { error: greeting.error } : {}) });
    ctx.play(greeting.audio);
    ctx.mark('voicemail-greeting', () => this.playBeep());
  }

  onCallerAudio(payload: Uint8Array): void {
    if (this.phase !== 'recording' || !this.decoder || !this.detector) return;
    const samples = this.decoder.decode(payload);
    this.heardMs += (samples.length * 1000) / this.decoder.format.sampleRate;
    const event = this.detector.process(samples);
    if (event?.type === 'speech_start' && !this.spoke) {
      this.spoke = true;
      this.ctx?.event('voicemail.speech_started', { atMs: Math.round(this.startedAtMs + event.atMs) });
    }
    if (event?.type === 'speech_stop') this.finish('silence');
    else if (!this.spoke && this.heardMs >= this.noSpeechMs) this.finish('no-speech');
    else if (this.heardMs >= this.maxMs) this.finish('max-length');
  }

  onDtmf(): void {
    // Any key during the greeting skips to the beep, as callers expect from voicemail.
    if (this.phase === 'greeting' && this.ctx) { this.ctx.interrupt(); this.playBeep(); }
  }

  async close(reason: string): Promise<void> {
    if (this.phase === 'recording') this.record('hangup', reason);
    this.phase = 'done';
    clearTimeout(this.backstop);
  }

  private playBeep(): void {
    if (this.phase !== 'greeting' || !this.ctx) return;
    this.phase = 'beep';
    this.ctx.play(beep(this.ctx.outputFormat));
    this.ctx.mark('voicemail-beep', () => this.startRecording());
  }

  private startRecording(): void {
    if (this.phase !== 'beep' || !this.ctx) return;
    this.phase = 'recording';
    this.startedAtMs = this.ctx.nowMs();
    // Hangover = the silence that ends the message; 2 s of quiet noise floor before speech counts.
    this.detector = new SpeechDetector(new EnergyVad(), { hangoverMs: this.silenceMs });
    this.ctx.event('voicemail.recording_started', { atMs: Math.round(this.startedAtMs), maxMs: this.maxMs });
    // Counting caller audio ends the message on time; this catches a leg that stops sending audio altogether.
    this.backstop = setTimeout(() => this.finish('max-length'), this.maxMs + 2000);
    this.backstop.unref();
  }

  private finish(reason: 'silence' | 'no-speech' | 'max-length'): void {
    if (this.phase !== 'recording' || !this.ctx) return;
    this.record(reason);
    this.phase = 'done';
    clearTimeout(this.backstop);
    void this.ctx.hangup('voicemail-complete', 'agent');
  }

  private record(reason: string, detail?: string): void {
    const endMs = this.ctx ? this.ctx.nowMs() : this.startedAtMs + this.heardMs;
    this.ctx?.event('voicemail.recording_ended', {
      reason, ...(detail ? { detail } : {}), startMs: Math.round(this.startedAtMs), endMs: Math.round(endMs),
      durationMs: Math.round(this.heardMs), spoke: this.spoke,
    });
  }
}
