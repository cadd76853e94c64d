/**
 * The wrapper's own ear on the caller audio: an energy VAD that tells when the caller spoke, so a provider that
 * took the audio and said nothing (no speech events, no reply) is caught as a stall.
 */
import { alawToPcm16, EnergyVad, mulawToPcm16, pcm16Framer, pcm16leToInt16, SpeechDetector, type Framer } from '../../media/index.js';
import type { AudioFormat } from '../session.js';

export class LocalTurns {
  private readonly framer: Framer<Int16Array>;
  private readonly detector = new SpeechDetector(new EnergyVad(), { hangoverMs: 500, minSpeechMs: 60 });
  private readonly format: AudioFormat;

  constructor(format: AudioFormat) {
    this.format = format;
    this.framer = pcm16Framer(format.sampleRate);
  }

  /** Pushes one frame; returns 'start' / 'stop' when the caller began or finished an utterance. */
  push(frame: Uint8Array): 'start' | 'stop' | undefined {
    const samples = this.format.encoding === 'mulaw' ? mulawToPcm16(frame)
      : this.format.encoding === 'alaw' ? alawToPcm16(frame)
        : pcm16leToInt16(frame.length % 2 === 0 ? frame : frame.subarray(0, frame.length - 1));
    let result: 'start' | 'stop' | undefined;
    this.framer.push(samples, (chunk) => {
      const event = this.detector.process(chunk);
      if (event) result = event.type === 'speech_start' ? 'start' : 'stop';
    });
    return result;
  }
}
