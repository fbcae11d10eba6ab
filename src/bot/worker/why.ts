import type { WhyJob } from '../jobs.ts';
import { respond } from '../respond.ts';
import { whyMessage } from '../views/index.ts';
import type { WorkerDeps } from './deps.ts';
import { principalOfSlackUser } from './slack-principal.ts';

/** Why? on an answer: the trace, shown only to the person who asked (anyone else is told no). */
export async function explainAnswer(deps: WorkerDeps, job: WhyJob): Promise<void> {
  const asker = await principalOfSlackUser(deps.directory, job.teamId, job.userId);
  const trace = await deps.traces.get(job.traceId);
  if (asker === undefined || trace === undefined || trace.principalId !== asker.principal.principalId) {
    await respond(job.responseUrl, {
      text: 'Only the person who asked can see how this answer was made.',
      replace_original: false,
    });
    return;
  }
  await respond(job.responseUrl, {
    ...whyMessage({ trace }),
    response_type: 'ephemeral',
    replace_original: false,
  });
}
