import type { DirectoryChangeOutcome, DirectoryEntry } from '../../identity/index.ts';
import type { DemoPrincipalOutcome } from '../../seed/index.ts';
import { printable } from '../../text/index.ts';

/** Roles, desks, accounts and Slack user of one entry, on one line. */
export function describeEntry(e: DirectoryEntry): string {
  const list = (v: '*' | readonly string[]) => (v === '*' ? 'all' : v.length === 0 ? 'none' : v.join(','));
  const name = e.displayName === undefined ? '' : ` "${printable(e.displayName)}"`;
  const slack = e.slack === undefined ? 'none' : `${e.slack.teamId}/${e.slack.userId}`;
  return `${e.principalId}${name}  roles ${e.roles.join(',')}  desks ${list(e.desks)}  accounts ${list(e.accounts)}  slack ${slack}`;
}

/** The directory as text: one principal a line, sorted by id. */
export function formatUsers(entries: readonly DirectoryEntry[]): string {
  if (entries.length === 0) return 'No principals in the directory (add one with `settleops users add`).';
  return [
    `${entries.length} principal${entries.length === 1 ? '' : 's'}:`,
    ...entries.map((e) => `  ${describeEntry(e)}`),
  ].join('\n');
}

/** What one directory change did, in a sentence (`INVALID` is a usage error, not rendered here). */
export function formatChange(verb: string, outcome: DirectoryChangeOutcome): string {
  switch (outcome.kind) {
    case 'CHANGED':
      return `${verb}: ${describeEntry(outcome.entry)}`;
    case 'UNCHANGED':
      return `nothing to change: ${describeEntry(outcome.entry)}`;
    case 'NOT_FOUND':
      return `no principal ${outcome.principalId} in the directory; nothing changed.`;
    case 'EXISTS':
      return `${outcome.entry.principalId} is already in the directory (change it with users grant|revoke); nothing changed.`;
    case 'SLACK_USER_TAKEN':
      return `${outcome.message}; nothing changed.`;
    case 'CONFLICT':
      return 'the entry kept changing while writing; nothing changed, try again.';
    case 'INVALID':
      return outcome.problems.join('; ');
  }
}

/** The demo principals `seed` put in place, one a line, with what seeding did. */
export function formatDemoPrincipals(outcomes: readonly DemoPrincipalOutcome[]): string {
  const count = (kind: DemoPrincipalOutcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  const lines = outcomes.map((o) => {
    if (o.kind === 'ADDED' || o.kind === 'PRESENT')
      return `  ${o.kind === 'ADDED' ? 'added  ' : 'present'}  ${describeEntry(o.entry)}`;
    if (o.kind === 'LEFT_REMOVED')
      return `  removed  ${o.principalId} (removed by an administrator; left removed)`;
    return `  refused  ${o.principalId}: ${printable(o.reason)}`;
  });
  const refused = count('REFUSED');
  const head = `demo principals: ${count('ADDED')} added, ${count('PRESENT') + count('LEFT_REMOVED')} already there${refused === 0 ? '' : `, ${refused} refused`}`;
  return [head, ...lines].join('\n');
}
