/** The built-in call tools bound to one call: what `transfer_call`, `end_call` and `send_dtmf` do. */
import { endCallTool, sendDtmfTool, transferCallTool } from './builtins.js';
import type { ToolRunner } from './runner.js';

/** What the call layer lets tools do to the call (implemented by the call session). */
export interface CallControl {
  transfer(to: string, summary?: string): Promise<void>;
  hangup(reason: string): Promise<void>;
  sendDtmf(digits: string): Promise<void>;
}

/** Registers the three call tools on `runner`, acting through `control`. */
export function registerCallTools(runner: ToolRunner, control: CallControl, options: { timeoutMs?: number } = {}): ToolRunner {
  return runner
    .register(transferCallTool, async ({ to, summary }) => {
      await control.transfer(to, summary);
      return { transferred: true, to };
    }, options)
    .register(endCallTool, async ({ reason }) => {
      await control.hangup(reason ?? 'agent-ended');
      return { ended: true };
    }, options)
    .register(sendDtmfTool, async ({ digits }) => {
      await control.sendDtmf(digits);
      return { sent: digits };
    }, options);
}
