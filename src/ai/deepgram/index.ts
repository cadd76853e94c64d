export { DeepgramListenStream, DeepgramSpeechToText, listenQuery, type DeepgramListenConfig } from './listen.js';
export { DeepgramTextToSpeech, auraFormat, type DeepgramSpeakConfig } from './speak.js';
