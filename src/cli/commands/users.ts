import { principalDirectory } from '../../app/identity.ts';
import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import {
  addPrincipal,
  type DirectoryChangeOutcome,
  type DirectoryDeps,
  type Entitlement,
  grant,
  listPrincipals,
  NewPrincipal,
  removePrincipal,
  revoke,
} from '../../identity/index.ts';
import { args, print } from '../args.ts';
import { formatChange, formatUsers } from '../format/users.ts';
import { operatorActor } from '../operator.ts';

const USAGE = `usage: settleops users add --slack-team T --slack-user U --principal ID --role R [--role R ...] [--desk D ...] [--account A ...] [--name NAME]
       settleops users list [--json]
       settleops users remove --principal ID
       settleops users grant|revoke --principal ID (--role R | --desk D | --account A)`;

/** The flag each field of a directory change comes from, to name it in an error. */
const FLAG_OF: Readonly<Record<string, string>> = {
  principalId: '--principal',
  displayName: '--name',
  roles: '--role',
  role: '--role',
  desks: '--desk',
  desk: '--desk',
  accounts: '--account',
  account: '--account',
  slack: '--slack-team/--slack-user',
  'slack.teamId': '--slack-team',
  'slack.userId': '--slack-user',
  actor: 'the acting administrator (OS user)',
};

/** `settleops users …`: the principal directory, through its audited use cases. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add':
      return add(rest, config);
    case 'list':
      return list(rest, config);
    case 'remove':
      return remove(rest, config);
    case 'grant':
    case 'revoke':
      return entitlement(sub, rest, config);
    default:
      throw new UsageError(
        sub === undefined ? USAGE : `users: unknown subcommand "${sub}" (add, list, remove, grant or revoke)`,
      );
  }
}

async function add(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, {
    'slack-team': { type: 'string' },
    'slack-user': { type: 'string' },
    principal: { type: 'string' },
    role: { type: 'string', multiple: true },
    desk: { type: 'string', multiple: true },
    account: { type: 'string', multiple: true },
    name: { type: 'string' },
  });
  const principalId = required(values.principal, '--principal ID', 'add');
  const teamId = required(values['slack-team'], '--slack-team T', 'add');
  const userId = required(values['slack-user'], '--slack-user U', 'add');
  if (values.role === undefined) throw new UsageError('users add needs at least one --role R');
  const input: NewPrincipal = {
    principalId,
    // Unchecked strings here: NewPrincipal validates every role just below.
    roles: [...new Set(values.role)] as NewPrincipal['roles'],
    desks: everyOr(values.desk),
    accounts: everyOr(values.account),
    slack: { teamId, userId },
    ...(values.name === undefined ? {} : { displayName: values.name }),
  };
  // Checked before anything is opened: a bad flag writes nothing and starts nothing.
  const parsed = NewPrincipal.safeParse(input);
  if (!parsed.success)
    throw invalid(
      'add',
      parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`),
    );
  return change('added', config, (deps) => addPrincipal(deps, input, operatorActor()), 'add');
}

async function list(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, { json: { type: 'boolean' } });
  return withSettlement(config, async (rt) => {
    const entries = await listPrincipals({ directory: principalDirectory(rt) });
    print(values.json, entries, () => formatUsers(entries));
    return 0;
  });
}

async function remove(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, { principal: { type: 'string' } });
  const principalId = required(values.principal, '--principal ID', 'remove');
  return change('removed', config, (deps) => removePrincipal(deps, principalId, operatorActor()), 'remove');
}

async function entitlement(
  verb: 'grant' | 'revoke',
  argv: readonly string[],
  config: Config,
): Promise<number> {
  const { values } = args(argv, {
    principal: { type: 'string' },
    role: { type: 'string' },
    desk: { type: 'string' },
    account: { type: 'string' },
  });
  const principalId = required(values.principal, '--principal ID', verb);
  // The role is checked by grant/revoke before anything is read or written.
  const given: Entitlement[] = [
    ...(values.role === undefined
      ? []
      : [{ role: values.role as Extract<Entitlement, { role: unknown }>['role'] }]),
    ...(values.desk === undefined ? [] : [{ desk: values.desk }]),
    ...(values.account === undefined ? [] : [{ account: values.account }]),
  ];
  const [one] = given;
  if (one === undefined || given.length > 1)
    throw new UsageError(`users ${verb} needs exactly one of --role R, --desk D or --account A`);
  const use = verb === 'grant' ? grant : revoke;
  return change(
    verb === 'grant' ? 'granted' : 'revoked',
    config,
    (deps) => use(deps, principalId, one, operatorActor()),
    verb,
  );
}

/** Runs one change against the directory and prints its outcome; exit 0 when in effect, 1 when refused. */
async function change(
  verb: string,
  config: Config,
  apply: (deps: DirectoryDeps) => Promise<DirectoryChangeOutcome>,
  sub: string,
): Promise<number> {
  return withSettlement(config, async (rt) => {
    const outcome = await apply({ directory: principalDirectory(rt), now: rt.deps.now });
    if (outcome.kind === 'INVALID') throw invalid(sub, outcome.problems);
    console.log(formatChange(verb, outcome));
    return outcome.kind === 'CHANGED' || outcome.kind === 'UNCHANGED' ? 0 : 1;
  });
}

function required(value: string | undefined, flag: string, sub: string): string {
  if (value === undefined) throw new UsageError(`users ${sub} needs ${flag}`);
  return value;
}

/** `--desk '*'` alone means every desk (likewise accounts); a value given twice counts once. */
function everyOr(values: string[] | undefined): '*' | string[] {
  return values?.length === 1 && values[0] === '*' ? '*' : [...new Set(values)];
}

/** One line naming the flag of each problem (`desks.1: …` → `--desk: …`). */
function invalid(sub: string, problems: readonly string[]): UsageError {
  const named = problems.map((p) => {
    const colon = p.indexOf(':');
    const field = colon < 0 ? '' : p.slice(0, colon);
    const flag = FLAG_OF[field] ?? FLAG_OF[field.replace(/\.\d+$/, '')] ?? FLAG_OF[field.split('.')[0] ?? ''];
    return flag === undefined ? p : `${flag}${p.slice(colon)}`;
  });
  return new UsageError(`users ${sub}: ${named.join('; ')}; nothing written`);
}
