export { CascadeSession, historyMessages, type CascadeConfig } from './session.js';
export { SentenceSplitter } from './sentences.js';
export type { ChatMessage, LanguageModel, LanguageModelChunk, SpeechSynthesis, SpeechToText, SpeechToTextStream, SttEvent, TextToSpeech, ToolCallRequest } from './stages.js';
