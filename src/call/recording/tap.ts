import { Resampler } from '../../media/index.js';
import { Pcm16Decoder } from '../audio.js';
import type { LegAudioFormat } from '../leg.js';
import type { DualChannelRecorder } from './recorder.js';

/**
 * Feeds a recorder from a leg: decodes caller and agent audio from the leg's formats to PCM16 at the recording rate
 * (resampling the agent side when the leg plays at another rate). Buffers are reused: no allocation per frame.
 */
export class RecordingTap {
  private readonly callerDecoder: Pcm16Decoder;
  private readonly agentDecoder: Pcm16Decoder;
  private readonly callerResampler: Resampler | null;
  private readonly agentResampler: Resampler | null;

  constructor(readonly recorder: DualChannelRecorder, input: LegAudioFormat, output: LegAudioFormat) {
    this.callerDecoder = new Pcm16Decoder(input);
    this.agentDecoder = new Pcm16Decoder(output);
    const rate = recorder.sampleRate;
    this.callerResampler = input.sampleRate === rate ? null : new Resampler(input.sampleRate, rate);
    this.agentResampler = output.sampleRate === rate ? null : new Resampler(output.sampleRate, rate);
  }

  caller(payload: Uint8Array, atMs: number): void {
    let samples = this.callerDecoder.decode(payload);
    if (this.callerResampler) samples = this.callerResampler.process(samples);
    this.recorder.writeCaller(samples, atMs);
  }

  agent(payload: Uint8Array): void {
    let samples = this.agentDecoder.decode(payload);
    if (this.agentResampler) samples = this.agentResampler.process(samples);
    this.recorder.writeAgent(samples);
  }

  interrupt(): void {
    this.recorder.truncateAgent();
    this.agentResampler?.reset();
  }
}
