import { pathToFileURL } from 'node:url';
import { createRuntimeApp, DEFAULT_AGENT_HOST } from '../agents/index.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { SettleOpsError } from '../errors.ts';
import { isLoopbackUrl } from '../local/index.ts';
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
  requireSharedAuditKey(config);
  const logger = createJsonLogger({ level: config.logLevel });
  const settlement = await openSettlement(config, { log: (message) => logger.info(message) });
  try {
    const agent = await wireAgent(config, settlement, logger);
    try {
      const runtime = createRuntimeApp(agent.service, {
        logger,
        authenticator: agent.authenticator,
        invocations: agent.invocations,
      });
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
      agent.close();
    }
  } finally {
    await settlement.close();
  }
}

/**
 * Fail closed: instances of the runtime on a shared DynamoDB each write audit records (a tool such as
 * rerun_matching changes state). Without AUDIT_KMS_KEY_ID each would sign with a key file of its own,
 * and no instance's records would verify against another's.
 */
export function requireSharedAuditKey(config: Config): void {
  const endpoint = config.dynamodb.endpoint;
  if (endpoint !== undefined && !isLoopbackUrl(endpoint) && config.audit.kmsKeyId === undefined) {
    throw new ConfigError([
      `AUDIT_KMS_KEY_ID: required when the agent runtime uses a shared DynamoDB (${endpoint}), so every instance signs audit records with one key`,
    ]);
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
