import {
  type BedrockAgentCoreClient,
  GetWorkloadAccessTokenForUserIdCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { canonicalPrincipalId } from './principal-id.ts';
import type { WorkloadTokenIssuer } from './workload-token.ts';

/**
 * Workload access tokens from AgentCore Identity: `GetWorkloadAccessTokenForUserId` for the workload
 * identity `workloadName` (`WORKLOAD_IDENTITY_NAME`) and the canonical principal id as `userId`.
 * On AWS, AgentCore Runtime makes this call itself and delivers the token to the container; this
 * adapter is what the local AgentCore endpoint uses to give the same semantics. The token is opaque
 * and bound by AgentCore to the workload and user, so `audience` and `sessionId` are not part of the
 * request.
 */
export class AgentCoreWorkloadIdentity implements WorkloadTokenIssuer {
  constructor(
    private readonly client: BedrockAgentCoreClient,
    private readonly workloadName: string,
  ) {
    if (workloadName.length === 0) throw new Error('workloadName: must not be empty');
  }

  async issue(request: {
    readonly principalId: string;
    readonly audience: string;
    readonly sessionId: string;
  }): Promise<string> {
    const userId = canonicalPrincipalId(request.principalId, 'principalId');
    const out = await this.client.send(
      new GetWorkloadAccessTokenForUserIdCommand({ workloadName: this.workloadName, userId }),
    );
    const token = out.workloadAccessToken;
    if (token === undefined || token === '')
      throw new Error(`AgentCore Identity returned no workloadAccessToken for workload ${this.workloadName}`);
    return token;
  }
}
