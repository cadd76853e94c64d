export { OpenAiCompatibleChat, type OpenAiCompatibleConfig } from './chat.js';
export { OpenAiSpeech, type OpenAiSpeechConfig } from './speech.js';
export { serverSentEvents, type ServerSentEvent } from './sse.js';
