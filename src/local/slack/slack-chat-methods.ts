import { fail, json, missing, ok, type Params, type Reply, str } from './slack-api-params.ts';
import type { SlackEmulatorState } from './slack-emulator-state.ts';
import { isReply, messageContent, wireMessage } from './slack-message-content.ts';

export type MethodHandler = (state: SlackEmulatorState, params: Params) => Reply;

function channelOf(state: SlackEmulatorState, params: Params): string | Reply {
  const channel = str(params, 'channel') ?? str(params, 'channel_id');
  if (channel === undefined || !state.channelExists(channel)) return fail('channel_not_found');
  return channel;
}

const postMessage: MethodHandler = (state, params) => {
  const channel = channelOf(state, params);
  if (typeof channel !== 'string') return channel;
  const content = messageContent(params);
  if (isReply(content)) return content;
  const threadTs = str(params, 'thread_ts');
  const message = state.botMessage(channel, {
    ...content,
    ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
  });
  return ok({ channel, ts: message.ts, message: wireMessage(message, state.identity.teamId) });
};

const update: MethodHandler = (state, params) => {
  const channel = channelOf(state, params);
  if (typeof channel !== 'string') return channel;
  const ts = str(params, 'ts');
  if (ts === undefined) return missing('ts');
  const message = state.find(channel, ts);
  if (message === undefined) return fail('message_not_found');
  if (!state.isBotMessage(message)) return fail('cant_update_message');
  const content = messageContent(params);
  if (isReply(content)) return content;
  message.text = content.text;
  // As Slack documents: without `blocks` the previous blocks stay; an empty array removes them.
  if (content.blocks !== undefined && content.blocks.length > 0) message.blocks = content.blocks;
  else if (content.blocks !== undefined) delete message.blocks;
  if (content.metadata !== undefined) message.metadata = content.metadata;
  message.edited = { user: state.identity.botUserId, ts: state.nextTs() };
  return ok({
    channel,
    ts,
    text: message.text,
    message: wireMessage(message, state.identity.teamId),
  });
};

const postEphemeral: MethodHandler = (state, params) => {
  const channel = channelOf(state, params);
  if (typeof channel !== 'string') return channel;
  const user = str(params, 'user');
  if (user === undefined) return missing('user');
  if (state.user(user) === undefined) return fail('user_not_in_channel');
  const content = messageContent(params);
  if (isReply(content)) return content;
  const messageTs = state.nextTs();
  const threadTs = str(params, 'thread_ts');
  state.ephemerals.push({
    channel,
    user,
    message_ts: messageTs,
    text: content.text,
    ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    via: 'chat.postEphemeral',
  });
  return ok({ message_ts: messageTs });
};

const remove: MethodHandler = (state, params) => {
  const channel = channelOf(state, params);
  if (typeof channel !== 'string') return channel;
  const ts = str(params, 'ts');
  if (ts === undefined) return missing('ts');
  const message = state.find(channel, ts);
  if (message === undefined) return fail('message_not_found');
  if (!state.isBotMessage(message)) return fail('cant_delete_message');
  state.remove(channel, ts);
  return ok({ channel, ts });
};

// Chat streaming: a message whose text grows until the stream stops. Outside DMs Slack needs the
// recipient, as the node SDK's chatStream() documents.
const startStream: MethodHandler = (state, params) => {
  const channel = channelOf(state, params);
  if (typeof channel !== 'string') return channel;
  const threadTs = str(params, 'thread_ts');
  if (threadTs === undefined) return missing('thread_ts');
  if (
    !channel.startsWith('D') &&
    (str(params, 'recipient_team_id') === undefined || str(params, 'recipient_user_id') === undefined)
  )
    return fail('invalid_arguments', ['recipient_team_id and recipient_user_id are required outside DMs']);
  const content = messageContent(params, false);
  if (isReply(content)) return content;
  const text = streamText(params, content.text);
  if (typeof text !== 'string') return text;
  const message = state.botMessage(channel, { text, thread_ts: threadTs });
  message.streaming = true;
  return ok({ channel, ts: message.ts });
};

/** The text a stream call carries: `markdown_text`, then its `markdown_text` chunks (SDK 8 sends chunks). */
function streamText(params: Params, base: string): string | Reply {
  const chunks = json(params, 'chunks');
  if (chunks === undefined) return base;
  if ('invalid' in chunks || !Array.isArray(chunks.value))
    return fail('invalid_arguments', ['chunks must be an array [json-pointer:/chunks]']);
  let text = base;
  for (const chunk of chunks.value as unknown[]) {
    const c = chunk as { type?: unknown; text?: unknown } | null;
    if (c?.type === 'markdown_text' && typeof c.text === 'string') text += c.text;
  }
  return text;
}

function streamingMessage(state: SlackEmulatorState, params: Params) {
  const channel = channelOf(state, params);
  if (typeof channel !== 'string') return channel;
  const ts = str(params, 'ts');
  if (ts === undefined) return missing('ts');
  const message = state.find(channel, ts);
  if (message === undefined) return fail('message_not_found');
  if (message.streaming !== true) return fail('message_not_in_streaming_state');
  return message;
}

const appendStream: MethodHandler = (state, params) => {
  const message = streamingMessage(state, params);
  if ('body' in message) return message;
  const content = messageContent(params, false);
  if (isReply(content)) return content;
  const text = streamText(params, content.text);
  if (typeof text !== 'string') return text;
  message.text += text;
  return ok({ channel: message.channel, ts: message.ts });
};

const stopStream: MethodHandler = (state, params) => {
  const message = streamingMessage(state, params);
  if ('body' in message) return message;
  const content = messageContent(params, false);
  if (isReply(content)) return content;
  const text = streamText(params, content.text);
  if (typeof text !== 'string') return text;
  message.text += text;
  if (content.blocks !== undefined) message.blocks = content.blocks;
  if (content.metadata !== undefined) message.metadata = content.metadata;
  delete message.streaming;
  return ok({
    channel: message.channel,
    ts: message.ts,
    message: wireMessage(message, state.identity.teamId),
  });
};

export const CHAT_METHODS: Readonly<Record<string, MethodHandler>> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': remove,
  'chat.startStream': startStream,
  'chat.appendStream': appendStream,
  'chat.stopStream': stopStream,
};
