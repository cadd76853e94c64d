/**
 * Caller speech start/stop on our side of the wire, for providers that do not report it (Gemini Live): 20 ms
 * frames of PCM16 through the media core's energy VAD and segmenter. Times are ms of audio pushed.
 */
import { EnergyVad, SpeechDetector, pcm16Framer, type Framer, type SpeechEvent } from '../media/index.js';

export class CallerActivity {
  private readonly framer: Framer<Int16Array>;
  private readonly detector: SpeechDetector;
  private readonly events: SpeechEvent[] = [];

  constructor(sampleRate: number, hangoverMs = 300) {
    this.framer = pcm16Framer(sampleRate);
    this.detector = new SpeechDetector(new EnergyVad(), { hangoverMs, minSpeechMs: 60 });
  }

  get speaking(): boolean {
    return this.detector.isSpeaking;
  }

  /** Feeds samples; returns the start/stop events they completed (usually none). */
  push(samples: Int16Array): readonly SpeechEvent[] {
    this.events.length = 0;
    this.framer.push(samples, (frame) => {
      const event = this.detector.process(frame);
      if (event) this.events.push(event);
    });
    return this.events;
  }
}
