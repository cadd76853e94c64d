// Flows: scripted conversations run by a pure engine. See README.md.
export { FlowRunner, type FlowRunnerOptions } from './runner.js';
export { expectation, listeningExpectation, toGrammarExpectation, type FlowExpectation } from './expectation.js';
export { FlowInvalidError, jsonPath, successors, validateFlow, type FlowCheck } from './validate.js';
export { llmMessages, type LlmChannel } from './llm.js';
export { matchIntent, phraseScore, scoreIntents, type IntentCandidate, type IntentMatch } from './intents.js';
export { parseSlot, parseSlotDtmf, type PartialWhen, type SlotContext, type SlotParse, type SlotValue } from './slots.js';
export { parseWhen, type ClockTime, type SpokenWhen } from './datetime.js';
export { findDigits, findNumber, wordsToNumber } from './numbers.js';
export { parseYesNo } from './yes-no.js';
export { words } from './text.js';
export { renderSpoken, renderValue } from './template.js';
export { builtInPhrase, flowPhrase } from './phrases.js';
export { EXAMPLE_FLOWS } from './examples/index.js';
export type { FlowAction, FlowActionType, FlowInput, FlowState, FlowTurn, Heard, TranscriptLine } from './types.js';
