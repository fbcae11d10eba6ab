import { runAgentContainer } from '../../app/agent-container.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { args, positiveInt } from '../args.ts';

/** `settleops agent`: the AgentCore runtime app, as the container runs it. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, { port: { type: 'string' }, host: { type: 'string' } });
  const port = positiveInt(values.port, 'port', config.agentcore.agentPort);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  return runAgentContainer(config, { port, ...(values.host === undefined ? {} : { host: values.host }) });
}
