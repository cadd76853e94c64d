export * from './common.js';
export * from './accounts.js';
export * from './flags.js';
export * from './sessions.js';
export * from './calls.js';
export * from './telephony.js';
export * from './events.js';
export * from './system.js';
export { operations, type Operation, type OperationName, type Operations } from './operations.js';
