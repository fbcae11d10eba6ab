import { describe, expect, it } from 'vitest';
import { requireSharedAuditKey, runAgentContainer } from '../../../src/app/agent-container.ts';
import { ConfigError, loadConfig } from '../../../src/config.ts';

// A shared (non-loopback) endpoint that never resolves: nothing leaves the machine even if the guard broke.
const SHARED = 'https://dynamodb.settleops.invalid';

describe('the agent container on a shared DynamoDB', () => {
  it('refuses to start without AUDIT_KMS_KEY_ID, naming the variable, before touching anything', async () => {
    const config = loadConfig({ DYNAMODB_ENDPOINT: SHARED });
    await expect(runAgentContainer(config)).rejects.toBeInstanceOf(ConfigError);
    await expect(runAgentContainer(config)).rejects.toThrow(/AUDIT_KMS_KEY_ID: required/);
  });

  it('accepts a KMS key there, and a loopback or embedded DynamoDB without one', () => {
    const accepted = [
      { DYNAMODB_ENDPOINT: SHARED, AUDIT_KMS_KEY_ID: 'alias/settleops-audit' },
      { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' },
      {},
    ].map((env) => {
      requireSharedAuditKey(loadConfig(env));
      return true;
    });
    expect(accepted).toStrictEqual([true, true, true]);
  });
});
