import {
  type BedrockAgentCoreClient,
  GetWorkloadAccessTokenForUserIdCommand,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-bedrock-agentcore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentCoreClient } from '../../../src/app/aws-clients.ts';
import { AgentCoreWorkloadIdentity, InvalidPrincipalIdError } from '../../../src/identity/index.ts';
import {
  type LocalAgentCoreIdentityEndpoint,
  startLocalAgentCoreIdentityEndpoint,
} from '../../../src/local/index.ts';

const REQUEST = { audience: 'arn:runtime', sessionId: `so-${'a'.repeat(40)}` };

describe('AgentCoreWorkloadIdentity against the local AgentCore Identity endpoint, through the real SDK client', () => {
  let endpoint: LocalAgentCoreIdentityEndpoint;
  let client: BedrockAgentCoreClient;
  const issued: [string, string][] = [];

  beforeAll(async () => {
    endpoint = await startLocalAgentCoreIdentityEndpoint({
      workloads: ['settleops-runtime'],
      issue: async (workloadName, userId) => {
        issued.push([workloadName, userId]);
        return `wat.${workloadName}.${userId}`;
      },
    });
    client = createAgentCoreClient({ region: 'us-east-1', endpoint: endpoint.url });
  });
  afterAll(async () => {
    client?.destroy();
    await endpoint?.close();
  });

  it('returns the workload access token of the canonical principal id', async () => {
    const identity = new AgentCoreWorkloadIdentity(client, 'settleops-runtime');

    expect(await identity.issue({ principalId: ' Alice ', ...REQUEST })).toBe('wat.settleops-runtime.alice');
    expect(issued.at(-1)).toStrictEqual(['settleops-runtime', 'alice']);
  });

  it('surfaces an unknown workload as the SDK’s ResourceNotFoundException', async () => {
    const identity = new AgentCoreWorkloadIdentity(client, 'no-such-workload');

    const error = await identity.issue({ principalId: 'alice', ...REQUEST }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it.each([
    ['empty', ''],
    ['over 128 characters', 'u'.repeat(129)],
  ])('refuses a userId that is %s with the SDK’s ValidationException', async (_n, userId) => {
    const error = await client
      .send(new GetWorkloadAccessTokenForUserIdCommand({ workloadName: 'settleops-runtime', userId }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).reason).toBe('FieldValidationFailed');
    expect((error as ValidationException).fieldList).toStrictEqual([
      { name: 'userId', message: expect.any(String) },
    ]);
  });

  it('asks for no token for a principal id it would not accept', async () => {
    const before = issued.length;
    const identity = new AgentCoreWorkloadIdentity(client, 'settleops-runtime');

    await expect(identity.issue({ principalId: 'u'.repeat(129), ...REQUEST })).rejects.toThrow(
      InvalidPrincipalIdError,
    );
    expect(issued).toHaveLength(before);
  });

  it('listens on loopback only', async () => {
    await expect(
      startLocalAgentCoreIdentityEndpoint({ workloads: [], issue: async () => 't', host: '0.0.0.0' }),
    ).rejects.toThrow(/^host: /);
  });
});
