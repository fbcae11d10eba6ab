import { randomUUID } from 'node:crypto';
import type { AgentEvent, AgentRequest, AgentResponse } from '../agents/index.ts';
import { createAgentRuntimeInvoker, runtimeSessionId } from '../agents/index.ts';
import type { Config } from '../config.ts';
import { createJsonLogger } from '../logger.ts';
import { wireAgent } from './agent.ts';
import { createAgentCoreClient } from './aws-clients.ts';
import { startLocalAgentStack } from './local-agent-stack.ts';
import { withSettlement } from './settlement.ts';

export interface AskInput {
  readonly request: AgentRequest;
  readonly stream: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
}

/**
 * One question through AgentCore with the real SDK client: to the runtime named by AGENT_RUNTIME_ARN,
 * or to the runtime app served in this process behind the local AgentCore endpoint.
 */
export async function askAgent(config: Config, input: AskInput): Promise<AgentResponse> {
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
  return withSettlement(config, async (rt) => {
    const { service } = wireAgent(config, rt, logger);
    const stack = await startLocalAgentStack(service, { region: config.agentcore.region, logger });
    try {
      return await stack.invoker.ask(input.request, options);
    } finally {
      await stack.close();
    }
  });
}
