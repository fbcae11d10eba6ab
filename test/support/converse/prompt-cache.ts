import { createHash } from 'node:crypto';
import type { FamilyRules } from './families.ts';

/*
 * The stand-in's token count and prompt cache. Tokens are estimated as ceil(characters / 4) of each
 * block's JSON: the service's tokenizer is not public, and the tests only need a count that grows
 * with the request the way Bedrock's does.
 *
 * Cache accounting follows the prompt caching page
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html): a checkpoint caches the
 * prefix before it only when that prefix reaches the family's minimum; a later request with the same
 * prefix reads it (`cacheReadInputTokens`), the first one writes it (`cacheWriteInputTokens`), and
 * `inputTokens` counts only what was neither. The prefix runs tools → system → messages, the order
 * Anthropic documents for cache prefixes (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching).
 */

export const estimateTokens = (characters: number): number => Math.ceil(characters / 4);

export interface CacheUsage {
  readonly inputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
  /** Every checkpoint of the request: its prefix in tokens, and whether it reached the minimum. */
  readonly checkpoints: readonly { readonly prefixTokens: number; readonly effective: boolean }[];
}

interface Body {
  readonly system?: readonly unknown[];
  readonly messages?: readonly { readonly role?: unknown; readonly content?: readonly unknown[] }[];
  readonly toolConfig?: { readonly tools?: readonly unknown[] };
}

const isCachePoint = (block: unknown): boolean =>
  block !== null && typeof block === 'object' && 'cachePoint' in block;

/** The blocks of a request in prefix order, each with where it belongs (for the cache key). */
function blocksInOrder(body: Body): unknown[] {
  const blocks: unknown[] = [];
  for (const tool of body.toolConfig?.tools ?? []) blocks.push({ tool });
  for (const block of body.system ?? []) blocks.push({ system: block });
  (body.messages ?? []).forEach((message, index) => {
    for (const block of message.content ?? []) blocks.push({ message: index, role: message.role, block });
  });
  return blocks;
}

const blockOf = (entry: unknown): unknown => {
  const e = entry as { tool?: unknown; system?: unknown; block?: unknown };
  return e.tool ?? e.system ?? e.block;
};

/** Total input tokens of a request body (cache points count nothing). */
export function requestTokens(body: Body): number {
  let characters = 0;
  for (const entry of blocksInOrder(body)) {
    const block = blockOf(entry);
    if (!isCachePoint(block)) characters += JSON.stringify(block).length;
  }
  return estimateTokens(characters);
}

/** The prompt cache of one stand-in: prefixes seen, per model. TTLs are not modelled (tests are short). */
export class PromptCache {
  readonly #entries = new Set<string>();

  /** Counts a request's usage and caches its effective prefixes. */
  account(modelId: string, body: Body, rules: FamilyRules): CacheUsage {
    const hash = createHash('sha256').update(modelId);
    let characters = 0;
    const checkpoints: { prefixTokens: number; effective: boolean; key: string }[] = [];
    for (const entry of blocksInOrder(body)) {
      const block = blockOf(entry);
      if (isCachePoint(block)) {
        const prefixTokens = estimateTokens(characters);
        checkpoints.push({
          prefixTokens,
          effective: rules.cacheFields.length > 0 && prefixTokens >= rules.minCacheTokens,
          key: hash.copy().digest('hex'),
        });
        continue;
      }
      const json = JSON.stringify(entry);
      hash.update(json);
      characters += JSON.stringify(block).length;
    }
    const total = estimateTokens(characters);
    const effective = checkpoints.filter((c) => c.effective);
    const longest = effective.at(-1);
    const hit = [...effective].reverse().find((c) => this.#entries.has(c.key));
    const read = hit?.prefixTokens ?? 0;
    const write = longest === undefined || longest === hit ? 0 : longest.prefixTokens - read;
    for (const c of effective) this.#entries.add(c.key);
    return {
      inputTokens: total - read - write,
      cacheReadInputTokens: read,
      cacheWriteInputTokens: write,
      checkpoints: checkpoints.map(({ prefixTokens, effective: e }) => ({ prefixTokens, effective: e })),
    };
  }

  clear(): void {
    this.#entries.clear();
  }
}
