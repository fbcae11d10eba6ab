import { z } from 'zod';
import type { ToolSpec } from '../model/types.ts';
import type { AgentTool } from '../tools/tool.ts';

/**
 * A tool's Converse `toolSpec`, its input schema generated from the zod schema. The catalog's own
 * `toolSpecs` win when the caller passes them; this is the fallback for tools outside the catalog.
 */
export function toolSpecOf(tool: AgentTool): ToolSpec {
  const { $schema: _ignored, ...json } = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' });
  return { name: tool.name, description: tool.description, inputSchema: { json } };
}

/** Plain words for a validation failure, one `path: message` per issue, so the model can correct itself. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)'}: ${issue.message}`,
    )
    .join('; ');
}

const VERBS: Readonly<Record<string, string>> = {
  get: 'Looking up',
  find: 'Finding',
  list: 'Listing',
  explain: 'Explaining',
  propose: 'Preparing',
  rerun: 'Re-running',
  settlement: 'Building',
};

/** A progress line for a tool call: `get_trade_status` → "Looking up trade status…". */
export function progressMessage(toolName: string): string {
  const [first = '', ...rest] = toolName.split('_');
  const verb = VERBS[first];
  if (verb === undefined) return `Running ${toolName.replaceAll('_', ' ')}…`;
  const object = first === 'settlement' ? ['settlement', ...rest] : rest;
  return `${verb} ${object.join(' ')}…`;
}
