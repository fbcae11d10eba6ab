import { consolidateMemories, forgetMemories, listMemories } from '../../app/memory.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { checkPrincipalId } from '../../identity/index.ts';
import { args, print } from '../args.ts';
import { formatConsolidation, formatFacts } from '../format/memory.ts';

const USAGE = `usage: settleops memory list --user ID [--json]
       settleops memory forget --user ID (--fact FACT_ID ... | --all)
       settleops memory consolidate [--user ID] [--now] [--json]`;

/** `settleops memory …`: a person's long-term facts — see them, forget them, consolidate sessions. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest, config);
    case 'forget':
      return forget(rest, config);
    case 'consolidate':
      return consolidate(rest, config);
    default:
      throw new UsageError(
        sub === undefined ? USAGE : `memory: unknown subcommand "${sub}" (list, forget or consolidate)`,
      );
  }
}

function userOf(raw: string | undefined, sub: string): string {
  if (raw === undefined) throw new UsageError(`memory ${sub} needs --user ID\n${USAGE}`);
  const checked = checkPrincipalId(raw);
  if (!checked.ok) throw new UsageError(`memory ${sub}: --user: principal id ${checked.problem}`);
  return checked.principalId;
}

async function list(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, { user: { type: 'string' }, json: { type: 'boolean' } });
  const principalId = userOf(values.user, 'list');
  const facts = await listMemories(config, principalId);
  print(values.json === true, facts, () => formatFacts(principalId, facts));
  return 0;
}

async function forget(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, {
    user: { type: 'string' },
    fact: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const principalId = userOf(values.user, 'forget');
  const factIds = values.fact ?? [];
  if ((factIds.length === 0) === (values.all !== true)) {
    throw new UsageError(`memory forget needs either --fact FACT_ID (one or more) or --all\n${USAGE}`);
  }
  const which = values.all === true ? ({ all: true } as const) : { factIds };
  const outcome = await forgetMemories(config, principalId, which);
  print(values.json === true, outcome, () =>
    outcome.forgotten === 0
      ? `nothing to forget for ${principalId}${factIds.length > 0 ? ` (no fact ${factIds.join(', ')})` : ''}.`
      : `forgot ${outcome.forgotten} fact${outcome.forgotten === 1 ? '' : 's'} of ${principalId}.`,
  );
  return 0;
}

async function consolidate(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, {
    user: { type: 'string' },
    now: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const principalId = values.user === undefined ? undefined : userOf(values.user, 'consolidate');
  const summary = await consolidateMemories(config, {
    ...(principalId === undefined ? {} : { principalId }),
    all: values.now === true,
  });
  print(values.json === true, summary, () => formatConsolidation(summary, config.memory.idleMinutes));
  return 0;
}
