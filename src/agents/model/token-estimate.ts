import type { Message, ToolSpec } from './types.ts';

/*
 * Token estimates for budgeting before a call: ceil(characters / 4) of what is sent (text, and JSON
 * for tool specs, tool uses and results). About four characters a token is the usual rule of thumb
 * for English and JSON with Claude-family tokenizers; budgets only need the order of magnitude, and
 * the service's own count (`usage`) is what gets charged and traced.
 */

export const estimateTokens = (characters: number): number => Math.ceil(characters / 4);

export function messageTokens(message: Message): number {
  let characters = 0;
  for (const block of message.content) characters += JSON.stringify(block).length;
  return estimateTokens(characters);
}

export const messagesTokens = (messages: readonly Message[]): number =>
  messages.reduce((n, m) => n + messageTokens(m), 0);

/** The stable prefix of every call: tool specs, then the system prompt (the order caching reads it in). */
export function prefixTokens(system: string, tools: readonly ToolSpec[]): number {
  let characters = JSON.stringify({ text: system }).length;
  for (const spec of tools) characters += JSON.stringify({ toolSpec: spec }).length;
  return estimateTokens(characters);
}
