import { routeByRules, SPECIALISTS, type SpecialistName } from '../../src/agents/agents.ts';
import { createTurnLimits } from '../../src/agents/limits/index.ts';
import { runTurn, type TurnResult } from '../../src/agents/loop/index.ts';
import type { ModelClient } from '../../src/agents/model/types.ts';
import { TOOL_CATALOG, toolSpecs } from '../../src/agents/tools/catalog.ts';
import type { ToolContext } from '../../src/agents/tools/tool.ts';

export interface AskedTurn {
  readonly answer: string;
  /** Every tool call the model made, in order, with what the loop sent back. */
  readonly calls: ReadonlyArray<{ readonly name: string; readonly input: unknown }>;
  readonly result: TurnResult;
  readonly specialist: SpecialistName;
}

/**
 * Asks a question through the product's own turn loop (`runTurn`: roles, caps, guardrails,
 * redaction), with the specialist the rules router picks and that specialist's tools and
 * instructions, exactly as the agent service does when no language model is configured.
 */
export async function ask(model: ModelClient, question: string, ctx: ToolContext): Promise<AskedTurn> {
  const specialist = SPECIALISTS[routeByRules(question)];
  const tools = TOOL_CATALOG.filter((t) => specialist.tools.includes(t.name));
  const result = await runTurn({
    model,
    system: specialist.instructions,
    history: [],
    question,
    tools,
    toolSpecs: toolSpecs(tools),
    toolContext: () => ctx,
    tier: specialist.tier,
    limits: createTurnLimits(),
  });
  const calls = result.messages.flatMap((m) =>
    m.role === 'assistant'
      ? m.content.flatMap((b) => ('toolUse' in b ? [{ name: b.toolUse.name, input: b.toolUse.input }] : []))
      : [],
  );
  return { answer: result.text, calls, result, specialist: specialist.name };
}
