// Local (offline, embedded-default) speech engines. See README.md in this folder.
export * from './asr/index.js';
export { checkLocalAsr, checkLocalSpeech, checkLocalTts, checkLocalVad, type EngineAvailability, type LocalSpeechAvailability } from './availability.js';
export { buildGrammar, loadDictionary, normalisePhrase, numberToWords, parseNumber, type Interpretation, type StepExpectation, type StepGrammar } from './grammar.js';
export { createLocalSynthesizer, LocalSpeechSynthesizer, resolveVoice, type SpeechSynthesizer, type SynthesisOptions, type SynthesizedSpeech } from './tts.js';
export { FLITE_VOICES, type FliteVoice } from './tts-engines.js';
export { createWebRtcVad, WebRtcVad, type VadMode, type WebRtcVadOptions } from './vad-webrtc.js';
