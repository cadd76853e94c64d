export { OpenAiRealtimeSession } from './session.js';
export { DEFAULT_TURN_DETECTION, historyItems, sessionUpdate, wireFormat, type OpenAiRealtimeConfig } from './config.js';
export type { RealtimeClientMessage, RealtimeSessionConfig, RealtimeTurnDetection } from './wire.js';
