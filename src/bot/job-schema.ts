import { z } from 'zod';
import type { BotJob } from './jobs.ts';

const fromUser = {
  deliveryId: z.string().min(1),
  teamId: z.string(),
  userId: z.string().min(1),
  channelId: z.string().min(1),
};

/**
 * A job as it crosses a queue (SQS on AWS): parsed back with zod before the worker sees it, so a message
 * that is not a job is refused by name instead of half-handled.
 */
export const BotJobSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('question'),
    ...fromUser,
    ts: z.string().min(1),
    threadTs: z.string().min(1).optional(),
    text: z.string(),
    direct: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('decision'),
    ...fromUser,
    matchId: z.string().min(1),
    decision: z.enum(['APPROVE', 'REJECT']),
    reason: z.string().optional(),
    messageTs: z.string().min(1),
    responseUrl: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('report'), ...fromUser, args: z.string(), responseUrl: z.string() }),
  z.strictObject({ kind: z.literal('memory'), ...fromUser, responseUrl: z.string() }),
  z.strictObject({
    kind: z.literal('forget'),
    ...fromUser,
    factId: z.string().min(1).optional(),
    all: z.boolean(),
    responseUrl: z.string(),
  }),
  z.strictObject({
    kind: z.literal('why'),
    ...fromUser,
    traceId: z.string().min(1),
    responseUrl: z.string(),
  }),
]);

export type ParsedJob =
  | { readonly ok: true; readonly job: BotJob }
  | { readonly ok: false; readonly problems: string[] };

/** A queued message body → a job, or the problems (paths and messages, never the body itself). */
export function parseBotJob(body: string): ParsedJob {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problems: ['body: not JSON'] };
  }
  const parsed = BotJobSchema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'job'}: ${i.message}`),
    };
  return { ok: true, job: parsed.data as BotJob };
}
