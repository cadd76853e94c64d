// AI agents: what answers a call with the flow engine on local speech, or with a provider session. See README.md.
export { LocalFlowAgent, type LocalFlowAgentOptions } from './local-flow-agent.js';
export { ProviderAgent, type ProviderAgentOptions } from './provider-agent.js';
export { createAiSession, type ProviderConfig } from './provider.js';
export { registerAiAgents, DEFAULT_AI_INSTRUCTIONS, type AiAgentDeps } from './register.js';
export { callToolRunner, type CallToolOptions } from './call-tools.js';
export { dtmfAudio, encodeFor, frames } from './audio.js';
export { Endpointer, type EndpointerOptions } from './endpointer.js';
