import { describe, expect, it } from 'vitest';
import {
  capabilitiesFor,
  DEFAULT_MODEL_CAPABILITIES,
  UNKNOWN_MODEL_CAPABILITIES,
} from '../../../../src/agents/model/model-capabilities.ts';

describe('the model capability table', () => {
  it('finds a model’s family by the longest id prefix, cross-region profiles and ARNs included', () => {
    expect(capabilitiesFor('us.anthropic.claude-sonnet-4-20250514-v1:0')).toMatchObject({
      family: 'claude',
      minCacheTokens: 1_024,
    });
    expect(capabilitiesFor('anthropic.claude-opus-4-5-20251101-v1:0').minCacheTokens).toBe(4_096);
    expect(capabilitiesFor('anthropic.claude-opus-4-1-20250805-v1:0').minCacheTokens).toBe(1_024);
    expect(capabilitiesFor('eu.anthropic.claude-3-5-haiku-20241022-v1:0').minCacheTokens).toBe(2_048);
    expect(
      capabilitiesFor('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0'),
    ).toStrictEqual(DEFAULT_MODEL_CAPABILITIES['amazon.nova-pro']);
    expect(capabilitiesFor('us.amazon.nova-micro-v1:0').cachePoints).toStrictEqual(['system', 'messages']);
    expect(capabilitiesFor('meta.llama3-1-70b-instruct-v1:0')).toStrictEqual(UNKNOWN_MODEL_CAPABILITIES);
  });

  it('lays configured overrides over the family’s defaults', () => {
    const caps = capabilitiesFor('us.amazon.nova-pro-v1:0', {
      'amazon.nova': { contextWindowTokens: 100_000 },
      'us.amazon.nova-pro': { cachePoints: [] },
    });

    expect(caps).toStrictEqual({ ...DEFAULT_MODEL_CAPABILITIES['amazon.nova-pro'], cachePoints: [] });
  });
});
