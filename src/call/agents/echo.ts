import { Resampler } from '../../media/index.js';
import type { AgentContext, AgentSession } from '../agent.js';
import { encodePcm16, Pcm16Decoder, sameFormat } from '../audio.js';

/**
 * Plays the caller's audio straight back. It measures the media path (frame in → same frame out), so it does
 * nothing else: no buffering, no copies when the leg's input and output formats match.
 */
export class EchoAgent implements AgentSession {
  readonly kind = 'echo';
  private ctx: AgentContext | null = null;
  private convert: ((payload: Uint8Array) => Uint8Array) | null = null;

  async start(ctx: AgentContext): Promise<void> {
    this.ctx = ctx;
    if (!sameFormat(ctx.inputFormat, ctx.outputFormat)) {
      const decoder = new Pcm16Decoder(ctx.inputFormat);
      const resampler = ctx.inputFormat.sampleRate === ctx.outputFormat.sampleRate ? null : new Resampler(ctx.inputFormat.sampleRate, ctx.outputFormat.sampleRate);
      this.convert = (payload) => {
        const samples = decoder.decode(payload);
        return encodePcm16(resampler ? resampler.process(samples) : samples, ctx.outputFormat);
      };
    }
  }

  onCallerAudio(payload: Uint8Array): void {
    this.ctx?.play(this.convert ? this.convert(payload) : payload);
  }

  onDtmf(): void {
    // Digits are already on the call's timeline; an echo has nothing to do with them.
  }

  async close(): Promise<void> {
    this.ctx = null;
  }
}
