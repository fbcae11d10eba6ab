import { randomUUID } from 'node:crypto';
import type { AgentEvent, AgentResponse } from '../agents/index.ts';
import { createAgentRuntimeInvoker, runtimeSessionId } from '../agents/index.ts';
import type { Config } from '../config.ts';
import { DynamoDbSessionRegistry, type SessionOrigin } from '../identity/index.ts';
import type { Logger } from '../logger.ts';
import { wireAgent } from './agent.ts';
import { createAgentCoreClient } from './aws-clients.ts';
import { startLocalAgentStack } from './local-agent-stack.ts';
import type { SettlementRuntime } from './settlement.ts';

/** One question for the agent, asked as a principal from a place (a Slack thread, the CLI). */
export interface AgentCall {
  readonly principalId: string;
  readonly question: string;
  readonly origin: SessionOrigin;
  readonly stream?: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
}

/** The session of that place belongs to someone else: nothing was asked. */
export class SessionTakenError extends Error {
  override readonly name = 'SessionTakenError';
}

/**
 * The trusted caller of the agent runtime (the CLI's `ask`, the Slack bot's worker): it claims the
 * session of (team, principal, channel, thread) for the principal in the session registry, then
 * invokes AgentCore's `InvokeAgentRuntime` with the real client and `runtimeUserId` = principal id —
 * to AGENT_RUNTIME_ARN, or to the runtime app served in this process behind the local endpoint.
 */
export interface AgentCaller {
  ask(call: AgentCall): Promise<AgentResponse>;
  close(): Promise<void>;
}

export async function openAgentCaller(
  config: Config,
  rt: SettlementRuntime,
  logger: Logger,
): Promise<AgentCaller> {
  const registry = new DynamoDbSessionRegistry(rt.doc, rt.table, rt.deps.now);
  const runtimeArn = config.agentcore.runtimeArn;
  let invoke: (call: AgentCall, sessionId: string, requestId: string) => Promise<AgentResponse>;
  let close: () => Promise<void>;
  if (runtimeArn !== undefined) {
    const client = createAgentCoreClient({
      region: config.agentcore.region,
      endpoint: config.agentcore.endpoint,
    });
    const invoker = createAgentRuntimeInvoker({ client, agentRuntimeArn: runtimeArn });
    invoke = (call, sessionId, requestId) =>
      invoker.ask({ question: call.question, requestId }, askOptions(call, sessionId));
    close = async () => client.destroy();
  } else {
    const agent = await wireAgent(config, rt, logger);
    const stack = await startLocalAgentStack(agent.service, {
      authenticator: agent.authenticator,
      invocations: agent.invocations,
      issuer: agent.identity.issuer,
      region: config.agentcore.region,
      logger,
    }).catch((error: unknown) => {
      agent.close();
      throw error;
    });
    invoke = (call, sessionId, requestId) =>
      stack.invoker.ask({ question: call.question, requestId }, askOptions(call, sessionId));
    close = async () => {
      await stack.close();
      agent.close();
    };
  }
  return {
    async ask(call) {
      const { teamId, channelId, threadTs } = call.origin;
      const sessionId = runtimeSessionId(teamId, call.principalId, channelId, threadTs);
      const claim = await registry.claim({
        sessionId,
        principalId: call.principalId,
        origin: call.origin,
        at: rt.deps.now().toISOString(),
      });
      if (!claim.ok) throw new SessionTakenError(`session ${sessionId} belongs to another principal`);
      // One id per question, the same on every retry of it (the SDK's and the invoker's): the runtime
      // runs it once, so a retry never runs a tool such as rerun_matching again.
      return invoke(call, sessionId, randomUUID());
    },
    close,
  };
}

function askOptions(call: AgentCall, sessionId: string) {
  return {
    runtimeSessionId: sessionId,
    runtimeUserId: call.principalId,
    stream: call.stream === true,
    ...(call.onEvent === undefined ? {} : { onEvent: call.onEvent }),
  };
}
