import { randomUUID } from 'node:crypto';
import type { AgentEvent, AgentResponse } from '../agents/index.ts';
import { createAgentRuntimeInvoker, runtimeSessionId } from '../agents/index.ts';
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { DynamoDbSessionRegistry, LOCAL_ADMIN, lookupPrincipal } from '../identity/index.ts';
import { createJsonLogger } from '../logger.ts';
import { wireAgent } from './agent.ts';
import { createAgentCoreClient } from './aws-clients.ts';
import { principalDirectory } from './identity.ts';
import { startLocalAgentStack } from './local-agent-stack.ts';
import { type SettlementRuntime, withSettlement } from './settlement.ts';

export interface AskInput {
  readonly question: string;
  /** The canonical id of the directory principal to ask as; absent: the local operator. */
  readonly user?: string;
  readonly stream: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
}

export type AskOutcome =
  | { readonly kind: 'ANSWERED'; readonly response: AgentResponse }
  /** `user` is not an active principal of the directory: nothing was asked. */
  | { readonly kind: 'UNKNOWN_USER'; readonly principalId: string };

/**
 * One question through AgentCore with the real SDK client, as `input.user` (an active directory
 * principal; unknown or removed: nothing is asked) or, without one, as the local operator. The CLI is
 * a trusted caller: it claims a fresh session for the principal in the session registry, then invokes
 * with `runtimeUserId` = principal id; the runtime proves who asks from the workload access token and
 * loads the entitlements itself — no principal travels in the request.
 */
export function askAs(config: Config, input: AskInput): Promise<AskOutcome> {
  return withSettlement(config, async (rt) => {
    const { user } = input;
    if (user === undefined && config.agentcore.workloadIdentityName !== undefined) {
      throw new UsageError(
        'ask: with WORKLOAD_IDENTITY_NAME there is no local operator; ask as a directory principal with --user ID',
      );
    }
    const principal = user === undefined ? LOCAL_ADMIN : await lookupPrincipal(principalDirectory(rt), user);
    if (principal === undefined) return { kind: 'UNKNOWN_USER', principalId: user ?? '' };
    const principalId = principal.principalId;
    // One session per command: `ask` has no thread to continue.
    const sessionId = runtimeSessionId('cli', principalId, 'cli', randomUUID());
    const claim = await new DynamoDbSessionRegistry(rt.doc, rt.table, rt.deps.now).claim({
      sessionId,
      principalId,
      origin: { teamId: 'cli', channelId: 'cli', threadTs: sessionId },
      at: rt.deps.now().toISOString(),
    });
    if (!claim.ok) throw new Error(`a fresh session id was already taken: ${sessionId}`);
    const options = {
      runtimeSessionId: sessionId,
      runtimeUserId: principalId,
      stream: input.stream,
      ...(input.onEvent === undefined ? {} : { onEvent: input.onEvent }),
    };
    const request = { question: input.question };
    const response = await invoke(config, rt, request, options);
    return { kind: 'ANSWERED', response };
  });
}

type InvokeOptions = Parameters<ReturnType<typeof createAgentRuntimeInvoker>['ask']>[1];

/** To the runtime named by AGENT_RUNTIME_ARN, or to the one served here behind the local endpoint. */
async function invoke(
  config: Config,
  rt: SettlementRuntime,
  request: { readonly question: string },
  options: InvokeOptions,
): Promise<AgentResponse> {
  const runtimeArn = config.agentcore.runtimeArn;
  if (runtimeArn !== undefined) {
    const client = createAgentCoreClient({
      region: config.agentcore.region,
      endpoint: config.agentcore.endpoint,
    });
    try {
      return await createAgentRuntimeInvoker({ client, agentRuntimeArn: runtimeArn }).ask(request, options);
    } finally {
      client.destroy();
    }
  }
  const logger = createJsonLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const agent = await wireAgent(config, rt, logger);
  try {
    const stack = await startLocalAgentStack(agent.service, {
      authenticator: agent.authenticator,
      issuer: agent.identity.issuer,
      region: config.agentcore.region,
      logger,
    });
    try {
      return await stack.invoker.ask(request, options);
    } finally {
      await stack.close();
    }
  } finally {
    agent.close();
  }
}
