import {
  addPrincipal,
  type DirectoryDeps,
  type DirectoryEntry,
  type NewPrincipal,
} from '../identity/index.ts';

/** The Slack workspace the demo principals belong to. */
export const DEMO_SLACK_TEAM = 'T0DEMO';

/**
 * The demo floor, on desks the seeded day trades (see reference-data.ts): a viewer of EQ-US, an
 * approver of the equity desks EQ-US and EQ-EU, an approver of the fixed-income desks FI-RATES and
 * FI-CREDIT, and an administrator of every desk and account.
 */
export const DEMO_PRINCIPALS: readonly NewPrincipal[] = [
  {
    principalId: 'demo-viewer',
    displayName: 'Demo viewer (EQ-US)',
    roles: ['viewer'],
    desks: ['EQ-US'],
    accounts: [],
    slack: { teamId: DEMO_SLACK_TEAM, userId: 'U0VIEWER' },
  },
  {
    principalId: 'demo-approver-eq',
    displayName: 'Demo approver (equities)',
    roles: ['approver'],
    desks: ['EQ-US', 'EQ-EU'],
    accounts: [],
    slack: { teamId: DEMO_SLACK_TEAM, userId: 'U0APPROVEREQ' },
  },
  {
    principalId: 'demo-approver-fi',
    displayName: 'Demo approver (fixed income)',
    roles: ['approver'],
    desks: ['FI-RATES', 'FI-CREDIT'],
    accounts: [],
    slack: { teamId: DEMO_SLACK_TEAM, userId: 'U0APPROVERFI' },
  },
  {
    principalId: 'demo-admin',
    displayName: 'Demo administrator',
    roles: ['admin'],
    desks: '*',
    accounts: '*',
    slack: { teamId: DEMO_SLACK_TEAM, userId: 'U0ADMIN' },
  },
];

/** What seeding did to one demo principal. */
export type DemoPrincipalOutcome =
  | { readonly kind: 'ADDED'; readonly entry: DirectoryEntry }
  | { readonly kind: 'PRESENT'; readonly entry: DirectoryEntry }
  /** Removed by an administrator: seeding leaves it removed. */
  | { readonly kind: 'LEFT_REMOVED'; readonly principalId: string }
  | { readonly kind: 'REFUSED'; readonly principalId: string; readonly reason: string };

/**
 * Puts the demo principals into the directory, audited as `actor`. Idempotent: a principal already
 * stored (active, or removed by an administrator) is left as it is, so a second seed adds nothing.
 */
export async function enrolDemoPrincipals(
  deps: DirectoryDeps,
  actor: string,
  principals: readonly NewPrincipal[] = DEMO_PRINCIPALS,
): Promise<DemoPrincipalOutcome[]> {
  const outcomes: DemoPrincipalOutcome[] = [];
  for (const p of principals) {
    const stored = await deps.directory.get(p.principalId);
    if (stored !== undefined) {
      outcomes.push(
        stored.status === 'ACTIVE'
          ? { kind: 'PRESENT', entry: stored }
          : { kind: 'LEFT_REMOVED', principalId: stored.principalId },
      );
      continue;
    }
    const outcome = await addPrincipal(deps, p, actor);
    if (outcome.kind === 'CHANGED') outcomes.push({ kind: 'ADDED', entry: outcome.entry });
    else if (outcome.kind === 'EXISTS') outcomes.push({ kind: 'PRESENT', entry: outcome.entry });
    else outcomes.push({ kind: 'REFUSED', principalId: p.principalId, reason: refusal(outcome) });
  }
  return outcomes;
}

function refusal(outcome: Awaited<ReturnType<typeof addPrincipal>>): string {
  switch (outcome.kind) {
    case 'SLACK_USER_TAKEN':
      return outcome.message;
    case 'INVALID':
      return outcome.problems.join('; ');
    default:
      return outcome.kind;
  }
}
