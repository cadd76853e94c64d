/** An `llm` action as chat messages for a `LanguageModel` (src/ai/cascade): instructions, slots, the conversation. */
import type { ChatMessage } from '../cascade/stages.js';
import type { FlowAction } from './types.js';

type LlmAction = Extract<FlowAction, { type: 'llm' }>;

export function llmMessages(action: LlmAction): ChatMessage[] {
  const known = Object.entries(action.slots).filter(([, v]) => v !== null && v !== undefined);
  const system = [
    action.instructions,
    'You are speaking on a phone call: answer in one or two short sentences, no lists or markup.',
    known.length ? `What is known so far (JSON): ${JSON.stringify(Object.fromEntries(known))}` : '',
  ].filter(Boolean).join('\n\n');
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  for (const line of action.transcript) {
    messages.push(line.speaker === 'caller' ? { role: 'user', content: line.text } : { role: 'assistant', content: line.text });
  }
  // Chat models answer a user turn; at the start of the step there may be none yet.
  if (messages.length === 1 || messages[messages.length - 1]!.role !== 'user') messages.push({ role: 'user', content: '(the caller is waiting for you to speak)' });
  return messages;
}
