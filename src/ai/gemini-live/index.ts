export { GeminiLiveSession } from './session.js';
export { GEMINI_URL, historyContents, setupMessage, type GeminiLiveConfig } from './config.js';
export type { GeminiClientMessage, GeminiSetup } from './wire.js';
