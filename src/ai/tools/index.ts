export { BUILT_IN_TOOL_NAMES, BUILT_IN_TOOLS, endCallTool, sendDtmfTool, transferCallTool, type EndCallArguments, type SendDtmfArguments, type TransferCallArguments } from './builtins.js';
export { registerCallTools, type CallControl } from './call-control.js';
export { DEFAULT_TOOL_TIMEOUT_MS, ToolRunner, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from './runner.js';
export { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_MS, signatureHeaders, signPayload, TIMESTAMP_HEADER, verifySignature } from './signature.js';
export { MAX_WEBHOOK_RESPONSE_BYTES, registerWebhookTool, webhookHandler, webhookToolDefinition, type WebhookOptions } from './webhook.js';
