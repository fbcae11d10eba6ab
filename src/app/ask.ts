import { randomUUID } from 'node:crypto';
import type { AgentEvent, AgentRequest, AgentResponse } from '../agents/index.ts';
import { createAgentRuntimeInvoker, runtimeSessionId } from '../agents/index.ts';
import type { Config } from '../config.ts';
import { LOCAL_ADMIN, lookupPrincipal, type Principal } from '../identity/index.ts';
import { createJsonLogger } from '../logger.ts';
import { wireAgent } from './agent.ts';
import { createAgentCoreClient } from './aws-clients.ts';
import { principalDirectory } from './identity.ts';
import { startLocalAgentStack } from './local-agent-stack.ts';
import { type SettlementRuntime, withSettlement } from './settlement.ts';

export interface AskInput {
  readonly question: string;
  /** The canonical id of the directory principal to ask as; absent: the local administrator. */
  readonly user?: string;
  readonly stream: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
}

export type AskOutcome =
  | { readonly kind: 'ANSWERED'; readonly response: AgentResponse }
  /** `user` is not an active principal of the directory: nothing was asked. */
  | { readonly kind: 'UNKNOWN_USER'; readonly principalId: string };

/**
 * One question as `input.user` (looked up in the principal directory; unknown or removed: nothing is
 * asked) or, without one, as the local administrator.
 */
export async function askAs(config: Config, input: AskInput): Promise<AskOutcome> {
  const { user } = input;
  if (config.agentcore.runtimeArn !== undefined) {
    const principal =
      user === undefined ? LOCAL_ADMIN : await withSettlement(config, (rt) => asker(rt, user));
    if (principal === undefined) return { kind: 'UNKNOWN_USER', principalId: user ?? '' };
    return { kind: 'ANSWERED', response: await askAgent(config, requestOf(input, principal)) };
  }
  return withSettlement(config, async (rt) => {
    const principal = user === undefined ? LOCAL_ADMIN : await asker(rt, user);
    if (principal === undefined) return { kind: 'UNKNOWN_USER', principalId: user ?? '' };
    return { kind: 'ANSWERED', response: await askAgent(config, requestOf(input, principal), rt) };
  });
}

function asker(rt: SettlementRuntime, user: string): Promise<Principal | undefined> {
  return lookupPrincipal(principalDirectory(rt), user);
}

/** One request to the agent, with how to receive the answer. */
export interface AgentAsk {
  readonly request: AgentRequest;
  readonly stream: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
}

function requestOf(input: AskInput, principal: Principal): AgentAsk {
  return {
    request: { question: input.question, principal },
    stream: input.stream,
    ...(input.onEvent === undefined ? {} : { onEvent: input.onEvent }),
  };
}

/**
 * One question through AgentCore with the real SDK client: to the runtime named by AGENT_RUNTIME_ARN,
 * or to the runtime app served in this process behind the local AgentCore endpoint.
 */
export async function askAgent(
  config: Config,
  input: AgentAsk,
  opened?: SettlementRuntime,
): Promise<AgentResponse> {
  const principalId = input.request.principal.principalId;
  const options = {
    // One session per command: `ask` has no thread to continue.
    runtimeSessionId: runtimeSessionId('cli', principalId, 'cli', randomUUID()),
    runtimeUserId: principalId,
    stream: input.stream,
    ...(input.onEvent === undefined ? {} : { onEvent: input.onEvent }),
  };
  const runtimeArn = config.agentcore.runtimeArn;
  if (runtimeArn !== undefined) {
    const client = createAgentCoreClient({
      region: config.agentcore.region,
      endpoint: config.agentcore.endpoint,
    });
    try {
      return await createAgentRuntimeInvoker({ client, agentRuntimeArn: runtimeArn }).ask(
        input.request,
        options,
      );
    } finally {
      client.destroy();
    }
  }
  const logger = createJsonLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const serve = async (rt: SettlementRuntime) => {
    const { service } = wireAgent(config, rt, logger);
    const stack = await startLocalAgentStack(service, { region: config.agentcore.region, logger });
    try {
      return await stack.invoker.ask(input.request, options);
    } finally {
      await stack.close();
    }
  };
  return opened === undefined ? withSettlement(config, serve) : serve(opened);
}
