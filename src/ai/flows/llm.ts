/** An `llm` action as chat messages for a `LanguageModel` (src/ai/cascade): instructions, slots, the conversation. */
import type { ChatMessage } from '../cascade/stages.js';
import type { FlowAction } from './types.js';

type LlmAction = Extract<FlowAction, { type: 'llm' }>;

/** How the answer reaches the person: spoken on a call, or typed in the web chat. */
export type LlmChannel = 'voice' | 'chat';

const STYLE: Record<LlmChannel, string> = {
  voice: 'You are speaking on a phone call: answer in one or two short sentences, no lists or markup.',
  chat: 'You are answering in a website chat: answer in a few short sentences of plain text, no markup.',
};

export function llmMessages(action: LlmAction, channel: LlmChannel = 'voice'): ChatMessage[] {
  const known = Object.entries(action.slots).filter(([, v]) => v !== null && v !== undefined);
  const system = [
    action.instructions,
    STYLE[channel],
    known.length ? `What is known so far (JSON): ${JSON.stringify(Object.fromEntries(known))}` : '',
  ].filter(Boolean).join('\n\n');
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  for (const line of action.transcript) {
    messages.push(line.speaker === 'caller' ? { role: 'user', content: line.text } : { role: 'assistant', content: line.text });
  }
  // Chat models answer a user turn; at the start of the step there may be none yet.
  if (messages.length === 1 || messages[messages.length - 1]!.role !== 'user') {
    messages.push({ role: 'user', content: channel === 'voice' ? '(the caller is waiting for you to speak)' : '(the visitor is waiting for your answer)' });
  }
  return messages;
}
