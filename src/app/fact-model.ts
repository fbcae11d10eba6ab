import type { ModelClient } from '../agents/index.ts';
import type { FactModel } from '../memory/index.ts';

/**
 * The consolidation step's one model call, over the agent's model client (Bedrock Converse, fast
 * tier, no tools); undefined for the offline planner, whose rules extract facts instead.
 */
export function factModelOf(model: ModelClient): FactModel | undefined {
  if (!model.isLanguageModel) return undefined;
  return {
    async complete({ system, prompt, maxTokens }) {
      const response = await model.converse({
        system,
        messages: [{ role: 'user', content: [{ text: prompt }] }],
        tools: [],
        tier: 'fast',
        maxTokens,
      });
      return response.message.content.flatMap((b) => ('text' in b ? [b.text] : [])).join('');
    },
  };
}
