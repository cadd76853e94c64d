/** The built-in call tools a model or flow may call: transfer the call, end it, send keypad tones. */
import { z } from 'zod';
import type { ToolDefinition } from '../session.js';

export const transferCallParameters = z.object({
  to: z.string().min(1).max(200).describe('Where to: an E.164 number, a SIP URI or queue:<name>'),
  summary: z.string().max(2000).optional().describe('What the person taking the call should know, spoken to them first'),
}).strict();

export const endCallParameters = z.object({
  reason: z.string().max(200).optional().describe('Why the call ends, for the call record'),
}).strict();

export const sendDtmfParameters = z.object({
  digits: z.string().regex(/^[0-9*#A-Dw]{1,32}$/, '0-9, *, #, A-D, and w for a half-second pause').describe('Keys to press, e.g. "1234#"'),
}).strict();

export type TransferCallArguments = z.infer<typeof transferCallParameters>;
export type EndCallArguments = z.infer<typeof endCallParameters>;
export type SendDtmfArguments = z.infer<typeof sendDtmfParameters>;

export const transferCallTool = {
  name: 'transfer_call',
  description: 'Transfer the caller to a person or another number. Say goodbye first; give a short summary for whoever answers.',
  parameters: transferCallParameters,
} satisfies ToolDefinition;

export const endCallTool = {
  name: 'end_call',
  description: 'Hang up once the conversation is finished and you have said goodbye.',
  parameters: endCallParameters,
} satisfies ToolDefinition;

export const sendDtmfTool = {
  name: 'send_dtmf',
  description: 'Press keys on the phone keypad (to navigate another system\'s menu).',
  parameters: sendDtmfParameters,
} satisfies ToolDefinition;

export const BUILT_IN_TOOLS: readonly ToolDefinition[] = [transferCallTool, endCallTool, sendDtmfTool];
/** Names flows may use without declaring a tool. */
export const BUILT_IN_TOOL_NAMES: readonly string[] = BUILT_IN_TOOLS.map((t) => t.name);
