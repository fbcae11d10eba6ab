import { z } from 'zod';
import { ViewInputError } from './view-input-error.ts';

/*
 * What the review buttons and the reject modal carry back to the bot. Both are parsed with zod when
 * they return, since a click's payload is input like any other.
 */

const ReviewButtonValue = z.strictObject({
  matchId: z.string().min(1),
  version: z.number().int().positive(),
});
export type ReviewButtonValue = z.infer<typeof ReviewButtonValue>;

const RejectReasonMetadata = ReviewButtonValue.extend({
  channel: z.string().min(1),
  ts: z.string().min(1),
});
export type RejectReasonMetadata = z.infer<typeof RejectReasonMetadata>;

/** Slack's limits on a button value and on a view's private_metadata. */
const MAX_BUTTON_VALUE = 2000;
const MAX_PRIVATE_METADATA = 3000;

/** `{"matchId":…,"version":…}` for the Approve / Reject buttons. */
export function reviewButtonValue(v: ReviewButtonValue): string {
  const value = JSON.stringify({ matchId: v.matchId, version: v.version });
  if (value.length > MAX_BUTTON_VALUE)
    throw new ViewInputError(`matchId: too long for a button value (${value.length} > ${MAX_BUTTON_VALUE})`);
  return value;
}

/** The match and version a review button names, or undefined when the value is not one of ours. */
export function parseReviewButtonValue(value: string): ReviewButtonValue | undefined {
  return parseJson(ReviewButtonValue, value);
}

/** The reject modal's private_metadata: the match decided and the alert to update. */
export function rejectReasonMetadata(m: RejectReasonMetadata): string {
  const value = JSON.stringify({ matchId: m.matchId, version: m.version, channel: m.channel, ts: m.ts });
  if (value.length > MAX_PRIVATE_METADATA)
    throw new ViewInputError(
      `private_metadata: too long (${value.length} > ${MAX_PRIVATE_METADATA}); check matchId, channel and ts`,
    );
  return value;
}

export function parseRejectReasonMetadata(value: string): RejectReasonMetadata | undefined {
  return parseJson(RejectReasonMetadata, value);
}

function parseJson<T>(schema: z.ZodType<T>, value: string): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
