// Shapes shared by the recogniser (main thread) and its worker.

export interface RecognizedWord {
  word: string;
  /** Milliseconds from the start of the recogniser's stream (the call), not of the utterance. */
  startMs: number;
  endMs: number;
  /** Posterior probability of this word, 0..1, when pocketsphinx could compute one. */
  confidence: number | undefined;
}

export interface RecognitionResult {
  /** Final hypothesis, lower case words separated by spaces; '' when nothing was recognised. */
  text: string;
  /** Posterior probability of the whole hypothesis, 0..1; low values suggest out-of-grammar speech. */
  confidence: number | undefined;
  words: RecognizedWord[];
  mode: 'grammar' | 'dictation';
  /** Where the utterance started in the stream, and how much audio it held (ms). */
  startMs: number;
  durationMs: number;
  /** CPU time the decoder spent on this utterance (ms); decodeMs / durationMs is the real-time factor. */
  decodeMs: number;
}
