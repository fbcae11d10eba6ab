import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import type { Config } from '../config.ts';
import {
  AgentCoreDeliveredTokenVerifier,
  AgentCoreWorkloadIdentity,
  LOCAL_ADMIN,
  LocalWorkloadTokens,
  type Principal,
  type SessionRegistry,
  type WorkloadTokenIssuer,
  type WorkloadTokenVerifier,
} from '../identity/index.ts';
import { LOCAL_AGENT_RUNTIME_ARN, loadOrCreateWorkloadIdentityKey } from '../local/index.ts';
import { createAgentCoreClient } from './aws-clients.ts';

/** How the runtime learns who asks, and how the (local) AgentCore endpoint vouches for them. */
export interface RuntimeIdentity {
  /** What the local AgentCore endpoint puts in the `WorkloadAccessToken` header. */
  readonly issuer: WorkloadTokenIssuer;
  /** What the runtime app checks that header with. */
  readonly verifier: WorkloadTokenVerifier;
  /** The runtime the tokens are for. */
  readonly audience: string;
  /** The local operator (`settleops ask` without --user); only with the local signer. */
  readonly operator?: Principal;
  close(): void;
}

/**
 * WORKLOAD_IDENTITY_NAME set: AgentCore Identity issues the user's token
 * (GetWorkloadAccessTokenForUserId, its client built here) and the runtime relies on AgentCore's
 * delivery plus the session registry (AWS's token is opaque). Unset: the local signer, its ES256 key
 * under the data dir (generated on first use), issues short-lived JWTs bound to runtime and session.
 */
export async function runtimeIdentity(config: Config, sessions: SessionRegistry): Promise<RuntimeIdentity> {
  const audience = config.agentcore.runtimeArn ?? LOCAL_AGENT_RUNTIME_ARN;
  const workload = config.agentcore.workloadIdentityName;
  if (workload !== undefined) {
    const client: BedrockAgentCoreClient = createAgentCoreClient({
      region: config.agentcore.region,
      endpoint: config.agentcore.endpoint,
    });
    return {
      issuer: new AgentCoreWorkloadIdentity(client, workload),
      verifier: new AgentCoreDeliveredTokenVerifier(sessions),
      audience,
      close: () => client.destroy(),
    };
  }
  const tokens = new LocalWorkloadTokens(await loadOrCreateWorkloadIdentityKey(config.dataDir));
  return { issuer: tokens, verifier: tokens, audience, operator: LOCAL_ADMIN, close: () => {} };
}
