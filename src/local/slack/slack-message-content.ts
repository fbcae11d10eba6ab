import { randomBytes } from 'node:crypto';
import { slackBlockKitProblems } from './block-kit-limits.ts';
import { fail, json, type Params, type Reply, str } from './slack-api-params.ts';
import type { StoredMessage } from './slack-emulator-state.ts';

/** Slack's cap on a message's `text`. */
export const MAX_TEXT_LENGTH = 40_000;

export interface MessageContent {
  readonly text: string;
  readonly blocks?: unknown[];
  readonly metadata?: StoredMessage['metadata'];
}

/**
 * The text, blocks and metadata of a message as Slack checks them before posting or updating:
 * `invalid_blocks_format`, `invalid_blocks` (with the problems), `msg_too_long`, `no_text`,
 * `invalid_metadata_format`. `requireContent` false lets an update or stream stop carry neither.
 */
export function messageContent(params: Params, requireContent = true): MessageContent | Reply {
  const text = str(params, 'text') ?? str(params, 'markdown_text') ?? '';
  const parsed = json(params, 'blocks');
  if (parsed !== undefined && ('invalid' in parsed || !Array.isArray(parsed.value)))
    return fail('invalid_blocks_format', ['must provide an array [json-pointer:/blocks]']);
  const given = parsed === undefined ? undefined : (parsed.value as unknown[]);
  if (given !== undefined) {
    const problems = slackBlockKitProblems({ blocks: given });
    if (problems.length > 0) return fail('invalid_blocks', problems);
  }
  // Slack gives every block without a block_id one of its own.
  const blocks = given?.map((b) =>
    typeof b === 'object' && b !== null && !('block_id' in b)
      ? { ...b, block_id: randomBytes(3).toString('base64url') }
      : b,
  );
  if (text.length > MAX_TEXT_LENGTH) return fail('msg_too_long');
  const hasAttachments = json(params, 'attachments') !== undefined;
  if (requireContent && text === '' && (blocks === undefined || blocks.length === 0) && !hasAttachments)
    return fail('no_text');

  const meta = json(params, 'metadata');
  let metadata: StoredMessage['metadata'];
  if (meta !== undefined) {
    const m = 'invalid' in meta ? undefined : meta.value;
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof (m as { event_type?: unknown }).event_type !== 'string' ||
      typeof (m as { event_payload?: unknown }).event_payload !== 'object'
    )
      return fail('invalid_metadata_format', ['metadata needs event_type and event_payload']);
    const { event_type, event_payload } = m as { event_type: string; event_payload: unknown };
    metadata = { event_type, event_payload };
  }
  return {
    text,
    ...(blocks === undefined ? {} : { blocks }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}

export const isReply = (v: MessageContent | Reply): v is Reply => 'body' in v;

/** A message as the Web API returns it (no channel; metadata only when asked for). */
export function wireMessage(
  message: StoredMessage,
  team: string,
  includeMetadata = false,
): Record<string, unknown> {
  const { channel: _channel, streaming: _streaming, metadata, ...rest } = message;
  return {
    ...rest,
    team,
    ...(includeMetadata && metadata !== undefined ? { metadata } : {}),
  };
}
