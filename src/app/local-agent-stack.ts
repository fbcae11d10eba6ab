import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import type { AgentService, InvocationAuthenticator, InvocationLedger } from '../agents/index.ts';
import {
  type AgentRuntimeInvoker,
  createAgentRuntimeInvoker,
  createRuntimeApp,
  type RuntimeApp,
  type RuntimeAppAddress,
} from '../agents/index.ts';
import type { WorkloadTokenIssuer } from '../identity/index.ts';
import {
  LOCAL_AGENT_RUNTIME_ARN,
  type LocalAgentCoreEndpoint,
  startLocalAgentCoreEndpoint,
} from '../local/index.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { createAgentCoreClient } from './aws-clients.ts';

export interface LocalAgentStack {
  readonly agentRuntimeArn: string;
  readonly runtime: RuntimeApp;
  readonly runtimeAddress: RuntimeAppAddress;
  readonly endpoint: LocalAgentCoreEndpoint;
  /** The real SDK client, pointed at the local endpoint. */
  readonly client: BedrockAgentCoreClient;
  readonly invoker: AgentRuntimeInvoker;
  close(): Promise<void>;
}

export interface LocalAgentStackOptions {
  /** Proves who asks (the runtime app refuses everything else). */
  readonly authenticator: InvocationAuthenticator;
  /** Where the runtime app claims each invocation (a retried one runs once). */
  readonly invocations: InvocationLedger;
  /** What the local endpoint puts in the `WorkloadAccessToken` header for a `runtimeUserId`. */
  readonly issuer: WorkloadTokenIssuer;
  readonly region?: string;
  readonly logger?: Logger;
}

/**
 * The embedded AgentCore path in one call: the runtime app on a free loopback port, the local
 * AgentCore endpoint in front of it (it asks `issuer` for the user's workload access token, as
 * AgentCore asks AgentCore Identity), and the real SDK client pointed at that endpoint. Used by
 * `settleops ask` when no AGENT_RUNTIME_ARN is configured.
 */
export async function startLocalAgentStack(
  service: AgentService,
  options: LocalAgentStackOptions,
): Promise<LocalAgentStack> {
  const logger = options.logger ?? silentLogger;
  const runtime = createRuntimeApp(service, {
    logger,
    authenticator: options.authenticator,
    invocations: options.invocations,
  });
  const runtimeAddress = await runtime.start({ host: '127.0.0.1', port: 0 });
  let endpoint: LocalAgentCoreEndpoint;
  try {
    endpoint = await startLocalAgentCoreEndpoint({
      runtimes: [{ agentRuntimeArn: LOCAL_AGENT_RUNTIME_ARN, url: runtimeAddress.url }],
      logger,
      workloadAccessToken: ({ userId, agentRuntimeArn, sessionId }) =>
        options.issuer.issue({ principalId: userId, audience: agentRuntimeArn, sessionId }),
    });
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  const client = createAgentCoreClient({ region: options.region ?? 'us-east-1', endpoint: endpoint.url });
  return {
    agentRuntimeArn: LOCAL_AGENT_RUNTIME_ARN,
    runtime,
    runtimeAddress,
    endpoint,
    client,
    invoker: createAgentRuntimeInvoker({ client, agentRuntimeArn: LOCAL_AGENT_RUNTIME_ARN }),
    async close() {
      client.destroy();
      await endpoint.close();
      await runtime.stop();
    },
  };
}
