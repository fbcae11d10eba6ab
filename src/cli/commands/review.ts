import { principalDirectory } from '../../app/identity.ts';
import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { directoryApprovalGate } from '../../identity/index.ts';
import type { MatchTally } from '../../settlement/index.ts';
import { decideReview, type ReviewDecisionOutcome, reviewRequestProblem } from '../../settlement/index.ts';
import { args, print } from '../args.ts';

const USAGE = 'usage: settleops review approve|reject MATCH_ID --as PRINCIPAL [--reason TEXT]';

/** `settleops review approve|reject MATCH_ID --as PRINCIPAL`: decide a match waiting for review. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values, positionals } = args(
    argv,
    { as: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    2,
  );
  const [verb, matchId] = positionals;
  if ((verb !== 'approve' && verb !== 'reject') || matchId === undefined) throw new UsageError(USAGE);
  const principalId = values.as;
  if (principalId === undefined)
    throw new UsageError('review needs --as PRINCIPAL (who decides; four eyes are checked)');
  const request = {
    matchId,
    decision: verb === 'approve' ? 'APPROVE' : 'REJECT',
    principalId,
    ...(values.reason === undefined ? {} : { reason: values.reason }),
  } as const;
  const invalid = reviewRequestProblem(request);
  if (invalid !== undefined)
    throw new UsageError(`${invalid.field === 'reason' ? '--reason' : '--as'}: ${invalid.problem}`);
  return withSettlement(config, async (rt) => {
    const outcome = await decideReview(rt.deps, request, directoryApprovalGate(principalDirectory(rt)));
    print(values.json, outcome, () => describeOutcome(matchId, outcome));
    return outcome.kind === 'DECIDED' ? 0 : 1;
  });
}

function describeOutcome(matchId: string, outcome: ReviewDecisionOutcome): string {
  switch (outcome.kind) {
    case 'DECIDED':
      return `${matchId}: ${outcome.match.status} by ${outcome.match.decision?.by} at ${outcome.match.decision?.at}${rematchedText(outcome.rematched)}`;
    case 'ALREADY_DECIDED':
      return `${matchId} was already ${outcome.match.status}${outcome.match.decision === undefined ? '' : ` by ${outcome.match.decision.by} at ${outcome.match.decision.at}`}; nothing changed.`;
    case 'SAME_PERSON':
      return `${outcome.message}: cannot also decide the match.`;
    case 'UNKNOWN_APPROVER':
      return `${outcome.principalId} is not in the principal directory; only known approvers decide matches.`;
    case 'NOT_ENTITLED':
      return `${outcome.message}; nothing changed.`;
    case 'INVALID':
      return `${outcome.field}: ${outcome.problem}`;
    case 'NOT_FOUND':
      return `No match ${matchId}.`;
    case 'CONFLICT':
      return `${matchId} kept changing while deciding; try again.`;
  }
}

function rematchedText(r: MatchTally | { failed: string } | undefined): string {
  if (r === undefined) return '';
  if ('failed' in r) return `\nMatching both trades again failed (${r.failed}); the SLA sweeper retries.`;
  const parts = Object.entries(r)
    .filter(([kind, n]) => n > 0 && kind !== 'NOT_OPEN' && kind !== 'UP_TO_DATE')
    .map(([kind, n]) => `${n} ${kind.toLowerCase().replaceAll('_', ' ')}`);
  return parts.length === 0
    ? ''
    : `\nMatched both trades again without the rejected pair: ${parts.join(', ')}.`;
}
