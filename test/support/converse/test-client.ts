import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import {
  BedrockConverseClient,
  type BedrockConverseOptions,
} from '../../../src/agents/model/bedrock-converse.ts';
import type { ConverseServer, Outcome } from './server.ts';

/** Model ids the tests script turns for: real ids (cross-region profiles), so the family rules apply. */
export const STRONG = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
export const FAST = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
export const NOVA = 'us.amazon.nova-pro-v1:0';
export const NOVA_LITE = 'us.amazon.nova-lite-v1:0';
export const LLAMA = 'us.meta.llama3-1-70b-instruct-v1:0';
export const SONNET_45 = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** The real SDK client pointed at the local server: dummy credentials, no SDK retries. */
export function converseClientFor(server: Pick<ConverseServer, 'url'>): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST0000000', secretAccessKey: 'local-test-secret' },
    maxAttempts: 1,
  });
}

/**
 * The Bedrock model client under test, over the real SDK client pointed at `server`: three attempts,
 * sleeps recorded instead of waited, jitter fixed at the middle of its range.
 */
export function testBedrockClient(
  server: Pick<ConverseServer, 'url'>,
  overrides: Partial<BedrockConverseOptions> = {},
): { client: BedrockConverseClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = new BedrockConverseClient({
    client: converseClientFor(server),
    strongModelId: STRONG,
    fastModelId: FAST,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps };
}

/** A value deep inside a recorded request body, or undefined. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * The usage the stand-in reported for these requests, summed in the model client's shape: what a
 * turn's `usage` must equal when every call was answered.
 */
export function reportedUsage(requests: readonly { readonly outcome?: Outcome | undefined }[]) {
  const sum = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    estimated: false,
  };
  for (const r of requests) {
    if (r.outcome?.kind !== 'answered') continue;
    sum.inputTokens += r.outcome.usage.inputTokens;
    sum.outputTokens += r.outcome.usage.outputTokens;
    sum.cacheReadInputTokens += r.outcome.usage.cacheReadInputTokens;
    sum.cacheWriteInputTokens += r.outcome.usage.cacheWriteInputTokens;
  }
  return sum;
}
