/** A person to onboard with `settleops users add`; overrides replace fields. */
export interface CliUser {
  readonly principal: string;
  readonly team: string;
  readonly user: string;
  readonly roles: readonly string[];
  readonly desks: readonly string[];
  readonly accounts: readonly string[];
  readonly name?: string;
}

/** An EQ-US viewer with a Slack user of its own. */
export function aCliUser(overrides: Partial<CliUser> = {}): CliUser {
  return {
    principal: 'alice',
    team: 'T0TEST',
    user: 'U0ALICE',
    roles: ['viewer'],
    desks: ['EQ-US'],
    accounts: [],
    ...overrides,
  };
}

/** The `settleops users add …` command line of `u`. */
export function usersAddArgs(u: CliUser): string[] {
  return [
    'users',
    'add',
    '--slack-team',
    u.team,
    '--slack-user',
    u.user,
    '--principal',
    u.principal,
    ...u.roles.flatMap((r) => ['--role', r]),
    ...u.desks.flatMap((d) => ['--desk', d]),
    ...u.accounts.flatMap((a) => ['--account', a]),
    ...(u.name === undefined ? [] : ['--name', u.name]),
  ];
}
