import type {
  EmulatedEphemeral,
  EmulatedMessage,
  OpenedView,
  RecordedCall,
  ResponseUrlContext,
  ResponseUrlPost,
  SlackEmulatorUser,
  UploadedFile,
} from './slack-emulator-types.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type StoredMessage = Mutable<EmulatedMessage>;

export interface PendingUpload {
  readonly id: string;
  readonly name: string;
  readonly length: number;
  bytes?: Uint8Array;
}

export interface Trigger {
  readonly issuedAt: number;
  readonly user?: string;
  used: boolean;
}

export interface IssuedResponseUrl {
  readonly context: ResponseUrlContext;
  readonly issuedAt: number;
  uses: number;
}

/** The emulated workspace: who is who, what was said where, and every id and ts handed out. */
export class SlackEmulatorState {
  readonly calls: RecordedCall[] = [];
  readonly ephemerals: EmulatedEphemeral[] = [];
  readonly responses: ResponseUrlPost[] = [];
  readonly files: UploadedFile[] = [];
  readonly views: OpenedView[] = [];
  readonly uploads = new Map<string, PendingUpload>();
  readonly triggers = new Map<string, Trigger>();
  readonly responseUrls = new Map<string, IssuedResponseUrl>();
  /** `http://127.0.0.1:PORT`, set once the server listens (upload URLs and response_urls hang off it). */
  baseUrl = '';
  private readonly channels = new Map<string, StoredMessage[]>();
  private readonly knownChannels: ReadonlySet<string> | undefined;
  private readonly knownUsers: ReadonlyMap<string, SlackEmulatorUser> | undefined;
  private lastTsMicros = 0n;
  private counter = 0;

  constructor(
    readonly identity: { teamId: string; botUserId: string; botId: string; apiAppId: string },
    options: { channels?: readonly string[]; users?: readonly SlackEmulatorUser[] },
    readonly now: () => Date,
  ) {
    this.knownChannels = options.channels === undefined ? undefined : new Set(options.channels);
    this.knownUsers = options.users === undefined ? undefined : new Map(options.users.map((u) => [u.id, u]));
  }

  channelExists(channel: string): boolean {
    return this.knownChannels === undefined || this.knownChannels.has(channel);
  }

  user(id: string): SlackEmulatorUser | undefined {
    if (this.knownUsers === undefined) return { id, name: id };
    return this.knownUsers.get(id);
  }

  /** A Slack `ts`: epoch seconds and 6 digits, strictly increasing across the workspace. */
  nextTs(): string {
    const nowMicros = BigInt(this.now().getTime()) * 1000n;
    this.lastTsMicros = nowMicros > this.lastTsMicros ? nowMicros : this.lastTsMicros + 1n;
    const seconds = this.lastTsMicros / 1_000_000n;
    const micros = (this.lastTsMicros % 1_000_000n).toString().padStart(6, '0');
    return `${seconds}.${micros}`;
  }

  /** A Slack-looking id: `prefix` and 10 characters, unique in this emulator. */
  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(10, '0')}`;
  }

  messagesOf(channel: string): StoredMessage[] {
    let list = this.channels.get(channel);
    if (list === undefined) {
      list = [];
      this.channels.set(channel, list);
    }
    return list;
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  /** Adds a message; a reply counts on its parent, as Slack's `reply_count` does. */
  add(message: StoredMessage): StoredMessage {
    this.messagesOf(message.channel).push(message);
    if (message.thread_ts !== undefined && message.thread_ts !== message.ts) {
      const parent = this.find(message.channel, message.thread_ts);
      if (parent !== undefined) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
      }
    }
    return message;
  }

  remove(channel: string, ts: string): void {
    const list = this.messagesOf(channel);
    const i = list.findIndex((m) => m.ts === ts);
    if (i >= 0) list.splice(i, 1);
  }

  /** A message the app posts as its bot user. */
  botMessage(
    channel: string,
    fields: { text: string; blocks?: unknown[]; thread_ts?: string; metadata?: StoredMessage['metadata'] },
  ): StoredMessage {
    const message: StoredMessage = {
      type: 'message',
      channel,
      ts: this.nextTs(),
      user: this.identity.botUserId,
      bot_id: this.identity.botId,
      text: fields.text,
    };
    if (fields.blocks !== undefined) message.blocks = fields.blocks;
    if (fields.thread_ts !== undefined) message.thread_ts = fields.thread_ts;
    if (fields.metadata !== undefined) message.metadata = fields.metadata;
    return this.add(message);
  }

  isBotMessage(message: StoredMessage): boolean {
    return message.bot_id === this.identity.botId;
  }
}

/** A deep copy, so callers never reach into the emulator's state. */
export const snapshot = <T>(value: T): T => structuredClone(value);
