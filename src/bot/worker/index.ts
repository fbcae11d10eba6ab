import type { BotJob } from '../jobs.ts';
import { answerQuestion } from './answer-question.ts';
import { decideMatch } from './decide-match.ts';
import type { WorkerDeps } from './deps.ts';
import { settleMemory } from './settle-memory.ts';
import { settleReport } from './settle-report.ts';
import { explainAnswer } from './why.ts';

export { withoutMention } from './answer-question.ts';
export type { WorkerDeps } from './deps.ts';
export { parseReportArgs, type ReportArgs } from './settle-report.ts';

/** The worker: one job at a time per call, each to its use case. */
export function createWorker(deps: WorkerDeps): (job: BotJob) => Promise<void> {
  return async (job) => {
    switch (job.kind) {
      case 'question':
        return answerQuestion(deps, job);
      case 'decision':
        return decideMatch(deps, job);
      case 'report':
        return settleReport(deps, job);
      case 'memory':
      case 'forget':
        return settleMemory(deps, job);
      case 'why':
        return explainAnswer(deps, job);
    }
  };
}
