import { pathToFileURL } from 'node:url';
import { createRuntimeApp, DEFAULT_AGENT_HOST } from '../agents/index.ts';
import { type Config, loadConfig } from '../config.ts';
import { SettleOpsError } from '../errors.ts';
import { createJsonLogger } from '../logger.ts';
import { wireAgent } from './agent.ts';
import { openSettlement } from './settlement.ts';

export interface AgentContainerOptions {
  readonly port?: number;
  readonly host?: string;
}

/**
 * The AgentCore Runtime container's process: the settlement core, the agent and the runtime app
 * (`POST /invocations`, `GET /ping` on 0.0.0.0:8080), until SIGTERM or SIGINT. `settleops agent` runs
 * it too. Resolves with the exit status once stopped.
 */
export async function runAgentContainer(
  config: Config,
  options: AgentContainerOptions = {},
): Promise<number> {
  const logger = createJsonLogger({ level: config.logLevel });
  const settlement = await openSettlement(config, { log: (message) => logger.info(message) });
  try {
    const { service } = wireAgent(config, settlement, logger);
    const runtime = createRuntimeApp(service, { logger });
    await runtime.start({
      port: options.port ?? config.agentcore.agentPort,
      host: options.host ?? DEFAULT_AGENT_HOST,
    });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info('stopping', { signal });
    await runtime.stop();
    return 0;
  } finally {
    await settlement.close();
  }
}

/** Entry point of the container image (`node dist/app/agent-container.js`). */
async function main(): Promise<void> {
  try {
    process.exitCode = await runAgentContainer(loadConfig());
  } catch (error) {
    if (error instanceof SettleOpsError) {
      console.error(`settleops agent: ${error.message}`);
      process.exitCode = error.exitCode;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
