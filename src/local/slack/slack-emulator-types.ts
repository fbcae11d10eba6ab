/** One Web API call the emulator answered, as it arrived and as it was answered. */
export interface RecordedCall {
  readonly method: string;
  /** Parameters as parsed from the JSON or form body (form values stay strings) plus the query string. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly token: string | undefined;
  readonly at: Date;
  /** HTTP status: 200 (also for `ok: false`) or 429; 0 when the connection was dropped unanswered. */
  readonly status: number;
  readonly response: Readonly<Record<string, unknown>>;
}

/** A message in a channel, in its current state (after updates; deleted ones are gone). */
export interface EmulatedMessage {
  readonly type: 'message';
  readonly channel: string;
  readonly ts: string;
  readonly thread_ts?: string;
  /** The author: the bot user for the app's messages, a person for seeded ones. */
  readonly user: string;
  readonly bot_id?: string;
  readonly text: string;
  readonly blocks?: readonly unknown[];
  readonly metadata?: { readonly event_type: string; readonly event_payload: unknown };
  readonly files?: readonly { readonly id: string; readonly name: string; readonly title: string }[];
  readonly edited?: { readonly user: string; readonly ts: string };
  readonly reply_count?: number;
  /** True while a chat stream is open on the message. */
  readonly streaming?: boolean;
}

/** A message only one user sees: `chat.postEphemeral`, or a response_url post that is not `in_channel`. */
export interface EmulatedEphemeral {
  readonly channel: string;
  readonly user: string;
  readonly message_ts: string;
  readonly thread_ts?: string;
  readonly text: string;
  readonly blocks?: readonly unknown[];
  readonly via: 'chat.postEphemeral' | 'response_url';
}

/** A POST the app made to a response_url the emulator issued. */
export interface ResponseUrlPost {
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly at: Date;
  /** 200, or 404 with `used_url` / `expired_url`, or 400 with `invalid_blocks` / `no_text`. */
  readonly status: number;
  readonly error?: string;
}

/** A file uploaded through files.getUploadURLExternal → upload URL → files.completeUploadExternal. */
export interface UploadedFile {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  /** The uploaded bytes as UTF-8 text. */
  readonly content: string;
  readonly bytes: Uint8Array;
  readonly channel?: string;
  readonly initial_comment?: string;
  readonly thread_ts?: string;
}

/** A modal opened with views.open. */
export interface OpenedView {
  readonly id: string;
  readonly trigger_id: string;
  /** The user the trigger was issued for, when known. */
  readonly user?: string;
  readonly view: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

/**
 * A failure served instead of the method's answer: a platform error, HTTP 429 with `Retry-After`, or
 * the connection dropped with no answer at all — `before` the method does anything, or `after` it took
 * effect (a message posted whose `ts` the app never hears: the case a blind retry duplicates).
 */
export type SlackFailure =
  | { readonly error: string }
  | { readonly status: 429; readonly retryAfterSeconds: number }
  | { readonly reset: 'before' | 'after' };

/** Automatic 429s for a method once a channel goes over `perChannelPerSecond` (bucket of `burst`). */
export interface SlackRateLimit {
  readonly perChannelPerSecond: number;
  readonly burst: number;
}

/** Where a response_url's posts land: the channel, the user it answers, and the message it may replace. */
export interface ResponseUrlContext {
  readonly channel?: string;
  readonly user?: string;
  /** The message a block_actions click came from (for `replace_original` / `delete_original`). */
  readonly messageTs?: string;
}

export interface SlackEmulatorUser {
  readonly id: string;
  readonly name: string;
  readonly teamId?: string;
}

export interface SlackEmulatorOptions {
  readonly botToken: string;
  readonly teamId?: string;
  readonly botUserId?: string;
  /** Known channel ids; any other → `channel_not_found`. Unset: every channel exists. */
  readonly channels?: readonly string[];
  /** Known users; any other → `user_not_found`. Unset: every user exists. */
  readonly users?: readonly SlackEmulatorUser[];
  readonly host?: '127.0.0.1';
  readonly port?: number;
  /** The emulator's clock: message ts, trigger_id and response_url lifetimes, rate-limit buckets. */
  readonly now?: () => Date;
}

/** A local Slack: Web API, upload URLs and response_urls on one loopback port, recording everything. */
export interface SlackEmulator {
  /** The Web API base, `http://127.0.0.1:PORT/api/`: WebClient's `slackApiUrl`, SLACK_API_URL. */
  readonly apiUrl: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly apiAppId: string;
  readonly calls: readonly RecordedCall[];
  /** Messages in `channel`, oldest first, thread replies included, as they are now. */
  messages(channel: string): EmulatedMessage[];
  readonly ephemerals: readonly EmulatedEphemeral[];
  readonly responses: readonly ResponseUrlPost[];
  readonly files: readonly UploadedFile[];
  readonly views: readonly OpenedView[];
  /** Serve `failure` to the next `times` (default 1) calls of `method`. */
  failNext(method: string, failure: SlackFailure, times?: number): void;
  rateLimit(method: string, limit: SlackRateLimit): void;
  /** A fresh response_url: about 5 posts within 30 minutes, as Slack documents. */
  responseUrl(context?: ResponseUrlContext): string;
  /** A fresh trigger_id for views.open, valid for 3 seconds of emulator time. */
  issueTriggerId(user?: string): string;
  /** A message a person posted (what an app_mention or message.im event refers to). */
  addUserMessage(
    channel: string,
    message: { readonly user: string; readonly text: string; readonly thread_ts?: string },
  ): EmulatedMessage;
  close(): Promise<void>;
}
