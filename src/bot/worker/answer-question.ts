import type { AgentEvent } from '../../agents/index.ts';
import type { QuestionJob } from '../jobs.ts';
import { answerMessage, onboardingMessage, progressMessage } from '../views/index.ts';
import type { WorkerDeps } from './deps.ts';
import { principalOfSlackUser } from './slack-principal.ts';

/** Progress edits at most this often (chat.update is rate-limited per channel). */
const PROGRESS_EVERY_MS = 1000;

/**
 * An @mention or DM: the asker is resolved through the directory (unknown → the onboarding message,
 * nothing else), a placeholder goes into the thread, the agent is asked through AgentCore as that
 * principal in the thread's session, its progress updates the placeholder in place, and the answer
 * replaces it — with a context line and a Why? button.
 */
export async function answerQuestion(deps: WorkerDeps, job: QuestionJob): Promise<void> {
  const { slack } = deps;
  const thread = job.threadTs ?? job.ts;
  const asker = await principalOfSlackUser(deps.directory, job.teamId, job.userId);
  if (asker === undefined) {
    const onboarding = onboardingMessage(
      deps.adminContact === undefined ? {} : { adminContact: deps.adminContact },
    );
    if (job.direct) {
      await slack.chat.postMessage({ channel: job.channelId, thread_ts: thread, ...onboarding });
    } else {
      await slack.chat.postEphemeral({
        channel: job.channelId,
        user: job.userId,
        thread_ts: thread,
        ...onboarding,
      });
    }
    return;
  }
  const question = withoutMention(job.text, deps.botUserId);
  const placeholder = await slack.chat.postMessage({
    channel: job.channelId,
    thread_ts: thread,
    ...progressMessage('Working on it…'),
  });
  const ts = placeholder.ts;
  if (ts === undefined) throw new Error('chat.postMessage answered without a ts');

  let lastEdit = 0;
  let edits: Promise<unknown> = Promise.resolve();
  const onEvent = (event: AgentEvent) => {
    if (event.type !== 'progress') return;
    const now = Date.now();
    if (now - lastEdit < PROGRESS_EVERY_MS) return;
    lastEdit = now;
    edits = edits
      .then(() => slack.chat.update({ channel: job.channelId, ts, ...progressMessage(event.message) }))
      .catch((error: unknown) => deps.logger.warn('progress update failed', { error }));
  };
  try {
    const response = await deps.agent.ask({
      principalId: asker.principal.principalId,
      question,
      origin: { teamId: job.teamId, channelId: job.channelId, threadTs: thread },
      stream: true,
      onEvent,
    });
    await edits;
    const trace = response.traceId === 'none' ? undefined : await deps.traces.get(response.traceId);
    const toolsUsed = [...new Set((trace?.steps ?? []).flatMap((s) => (s.kind === 'tool' ? [s.name] : [])))];
    const offline = response.answeredBy === 'offline-planner' || response.answeredBy === 'memory';
    await slack.chat.update({
      channel: job.channelId,
      ts,
      ...answerMessage({
        response,
        toolsUsed,
        offline,
        ...(trace === undefined || offline
          ? {}
          : {
              tokens: { input: trace.totals.inputTokens, output: trace.totals.outputTokens },
              costUsd: trace.estimatedCostUsd.toFixed(4),
            }),
      }),
    });
  } catch (error) {
    await edits;
    deps.logger.error('answer failed', { error, channel: job.channelId, ts: job.ts });
    await slack.chat.update({
      channel: job.channelId,
      ts,
      ...progressMessage(
        'I could not answer that just now; nothing was changed. Please try again in a minute.',
      ),
    });
  }
}

/** The question without the bot's mention (`<@U123> what's …` → `what's …`). */
export function withoutMention(text: string, botUserId: string): string {
  return text.replaceAll(`<@${botUserId}>`, ' ').replace(/\s+/g, ' ').trim();
}
