import { decideReview, type Match, type ReviewDecisionOutcome } from '../../settlement/index.ts';
import type { DecisionJob } from '../jobs.ts';
import { respond } from '../respond.ts';
import { alreadyDecidedEphemeral, refusalEphemeral, reviewDecidedAlert } from '../views/index.ts';
import type { WorkerDeps } from './deps.ts';
import { deskTimeZone, displayNameOf } from './people.ts';
import { principalOfSlackUser } from './slack-principal.ts';

/**
 * Approve / Reject from the alert: authorised at click time (directory, approver role, desk, four
 * eyes — `decideReview` through the directory's approval gate), decided in one conditional
 * transaction, the alert then updated in place to show who decided and when, without buttons. A
 * second or concurrent click, or a stale message, gets "already approved by …" and changes nothing;
 * a refusal says why, to the clicker only, and changes nothing.
 */
export async function decideMatch(deps: WorkerDeps, job: DecisionJob): Promise<void> {
  const tell = (message: { text: string }) => tellClicker(deps, job, message);
  const clicker = await principalOfSlackUser(deps.directory, job.teamId, job.userId);
  if (clicker === undefined) {
    await tell(
      refusalEphemeral(
        'You are not in the SettleOps directory, so you cannot decide matches. Ask an administrator to add you.',
      ),
    );
    return;
  }
  const outcome: ReviewDecisionOutcome = await decideReview(
    deps.settlement,
    {
      matchId: job.matchId,
      decision: job.decision,
      principalId: clicker.principal.principalId,
      ...(job.reason === undefined ? {} : { reason: job.reason }),
    },
    deps.approvals,
  );
  switch (outcome.kind) {
    case 'DECIDED':
      await updateAlert(deps, job, outcome.match);
      return;
    case 'ALREADY_DECIDED': {
      const decision = outcome.match.decision;
      if (decision === undefined) {
        await tell(
          refusalEphemeral(
            `This match is no longer waiting for review (${outcome.match.status.toLowerCase().replaceAll('_', ' ')}); nothing was changed.`,
          ),
        );
        return;
      }
      await tell(
        alreadyDecidedEphemeral({
          decision: outcome.match.status === 'REJECTED' ? 'REJECTED' : 'APPROVED',
          decidedBy: await displayNameOf(deps.directory, decision.by),
          decidedAt: decision.at,
          timeZone: deskTimeZone(deps, outcome.match.desk),
        }),
      );
      // The message may be stale (posted before the decision): bring it up to date.
      if (outcome.match.status === 'APPROVED' || outcome.match.status === 'REJECTED') {
        await updateAlert(deps, job, outcome.match).catch((error: unknown) =>
          deps.logger.warn('could not refresh a stale alert', { error }),
        );
      }
      return;
    }
    case 'SAME_PERSON':
      await tell(refusalEphemeral(`Four eyes: ${outcome.message}. Someone else has to decide this match.`));
      return;
    case 'NOT_ENTITLED':
      await tell(refusalEphemeral(`You may not decide this match: ${outcome.message}.`));
      return;
    case 'UNKNOWN_APPROVER':
      await tell(refusalEphemeral('You are not in the SettleOps directory, so you cannot decide matches.'));
      return;
    case 'NOT_FOUND':
      await tell(refusalEphemeral(`Match ${job.matchId} no longer exists; nothing was changed.`));
      return;
    case 'INVALID':
      await tell(refusalEphemeral(`Not decided: ${outcome.field} ${outcome.problem}.`));
      return;
    case 'CONFLICT':
      await tell(refusalEphemeral('The match kept changing while deciding; nothing was changed. Try again.'));
      return;
  }
}

async function updateAlert(deps: WorkerDeps, job: DecisionJob, match: Match): Promise<void> {
  const [internal, counterparty] = await Promise.all([
    deps.settlement.store.getTrade(match.internalRef),
    deps.settlement.store.getTrade(match.counterpartyRef),
  ]);
  if (internal === undefined || counterparty === undefined || match.decision === undefined) return;
  const message = reviewDecidedAlert({
    match,
    internal,
    counterparty,
    rivals: [],
    decision: match.status === 'REJECTED' ? 'REJECTED' : 'APPROVED',
    decidedBy: await displayNameOf(deps.directory, match.decision.by),
    decidedAt: match.decision.at,
    ...(match.decision.reason === undefined ? {} : { reason: match.decision.reason }),
    timeZone: deskTimeZone(deps, match.desk),
  });
  await deps.slack.chat.update({ channel: job.channelId, ts: job.messageTs, ...message });
}

async function tellClicker(deps: WorkerDeps, job: DecisionJob, message: { text: string }): Promise<void> {
  if (job.responseUrl !== undefined) {
    await respond(job.responseUrl, { ...message, response_type: 'ephemeral', replace_original: false });
    return;
  }
  await deps.slack.chat.postEphemeral({ channel: job.channelId, user: job.userId, ...message });
}
