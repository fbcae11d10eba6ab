import { forgetFacts } from '../../memory/index.ts';
import type { ForgetJob, MemoryJob } from '../jobs.ts';
import { respond } from '../respond.ts';
import { memoryMessage } from '../views/index.ts';
import type { WorkerDeps } from './deps.ts';
import { deskTimeZone } from './people.ts';
import { principalOfSlackUser } from './slack-principal.ts';

/** `/settle-memory`: the person's own long-term facts, each with Forget, and Forget all. */
export async function settleMemory(deps: WorkerDeps, job: MemoryJob | ForgetJob): Promise<void> {
  const asker = await principalOfSlackUser(deps.directory, job.teamId, job.userId);
  if (asker === undefined) {
    await respond(job.responseUrl, {
      text: 'You are not in the SettleOps directory yet; ask an administrator for access.',
    });
    return;
  }
  const principalId = asker.principal.principalId;
  if (job.kind === 'forget') {
    // Only the clicker's own facts: the fact id comes from the button, the namespace from the directory.
    await forgetFacts(
      deps.facts,
      principalId,
      job.all ? { all: true } : { factIds: job.factId === undefined ? [] : [job.factId] },
    );
  }
  const facts = await deps.facts.list(principalId);
  const desk = asker.principal.desks === '*' ? undefined : asker.principal.desks[0];
  await respond(job.responseUrl, {
    ...memoryMessage({ facts, timeZone: deskTimeZone(deps, desk ?? '') }),
    response_type: 'ephemeral',
    replace_original: job.kind === 'forget',
  });
}
