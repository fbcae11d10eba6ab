import { type Config, loadConfig } from '../config.ts';
import { SettleOpsError, UsageError } from '../errors.ts';

const HELP = `settleops — trade-settlement operations

Usage: settleops <command> [options]

Commands:
  start [--trades N] [--seed S] [--speed X] [--once]
                           run the embedded stack: DynamoDB Local, a seeded settlement day fed in
                           over a simulated clock, matching and the SLA sweeper, printed as it happens
  ingest FILE [--json] [--as PRINCIPAL] [--progress]
                           store and match trades from a CSV, JSON or NDJSON file
  seed [--trades N] [--seed S] [--date D] [--out DIR]
                           load a deterministic settlement day and demo principals (or write the
                           day as CSV files to DIR)
  report [--date D] [--desk X] [--json]
                           the day's settlement picture
  trade ID [--json]        one trade with its match, exceptions and audit trail
  review approve|reject MATCH_ID --as PRINCIPAL [--reason TEXT]
                           decide a match waiting for review (four eyes)
  sweep [--json]           one pass of the SLA sweeper
  audit verify [--entity ID] [--json]
                           check the audit chains, their signatures, each entity's state, the
                           references between entities and the digests
  audit digest [--json]    sign and append a digest of every chain head (run periodically)
  setup                    fetch and verify DynamoDB Local now (otherwise fetched on first use)
  users add --slack-team T --slack-user U --principal ID --role R [--role R ...]
            [--desk D ...] [--account A ...] [--name NAME]
  users list [--json] | users remove --principal ID
  users grant|revoke --principal ID (--role R | --desk D | --account A)
                           the principal directory: who may ask and approve, with which roles,
                           desks and accounts (every change audited)
  ask "QUESTION" [--user ID] [--json] [--stream]
                           ask the agent through AgentCore (the local endpoint and runtime unless
                           AGENT_RUNTIME_ARN is set): as directory principal ID with --user,
                           otherwise as the local administrator
  memory list --user ID [--json] | memory forget --user ID (--fact FACT_ID ... | --all)
  memory consolidate [--user ID] [--now] [--json]
                           long-term memory: what the agent keeps about a person (only what they
                           asked it to remember, or consolidated from their finished sessions),
                           forgetting it, and consolidating idle sessions (--now: every open one)
  tools [--json]           the agent's tool catalog with its governance metadata (security review)
  trace ID [--json]        what one agent invocation did: steps, tokens, estimated cost
  agent [--port P] [--host H]
                           run the AgentCore runtime app (the container's command; port 8080)

Configuration comes from the environment: see README.md.`;

interface Command {
  run(argv: readonly string[], config: Config): Promise<number>;
}

/** One module a command, loaded on demand: a command starts without the others' dependencies. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  start: () => import('./commands/start.ts'),
  ingest: () => import('./commands/ingest.ts'),
  seed: () => import('./commands/seed.ts'),
  report: () => import('./commands/report.ts'),
  trade: () => import('./commands/trade.ts'),
  review: () => import('./commands/review.ts'),
  sweep: () => import('./commands/sweep.ts'),
  audit: () => import('./commands/audit.ts'),
  setup: () => import('./commands/setup.ts'),
  users: () => import('./commands/users.ts'),
  ask: () => import('./commands/ask.ts'),
  memory: () => import('./commands/memory.ts'),
  tools: () => import('./commands/tools.ts'),
  trace: () => import('./commands/trace.ts'),
  agent: () => import('./commands/agent.ts'),
};

/** Runs one `settleops` command line; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(HELP);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined)
    throw new UsageError(`unknown command "${name}". Run \`settleops help\` for the list.`);
  const config = loadConfig();
  return (await load()).run(rest, config);
}

/**
 * The process around `main`: an expected failure (a `SettleOpsError`: bad usage, configuration, a
 * missing or unreachable dependency) is one line on stderr and its exit status; anything else is a bug
 * and prints its stack.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof SettleOpsError) {
      console.error(`settleops: ${error.message}`);
      process.exitCode = error.exitCode;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  }
}
