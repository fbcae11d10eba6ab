import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SlackEmulator } from './slack-emulator-types.ts';
import { slackTs } from './slack-events.ts';

/**
 * Slack's request signature, version 0: HMAC-SHA256 with the signing secret over
 * `v0:{timestamp}:{raw body}`, hex, prefixed `v0=` (the `X-Slack-Signature` header).
 */
export function signRequest(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** What the app answered. */
export interface SlackDelivery {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly elapsedMs: number;
}

/** How a request is delivered: Slack's retry headers, a forged signature, an old timestamp. */
export interface DeliveryOptions {
  /** Epoch seconds for `X-Slack-Request-Timestamp` (default: now). */
  readonly timestamp?: number;
  /** Sign with the wrong secret, as a forger would. */
  readonly badSignature?: boolean;
  readonly retryNum?: number;
  readonly retryReason?: string;
}

export interface SlackUserRef {
  readonly id: string;
  readonly name?: string;
}

export interface SlackRequestClientOptions {
  readonly signingSecret: string;
  /** Issues the trigger_ids and response_urls, and knows the messages and views clicked on. */
  readonly emulator?: SlackEmulator;
  readonly teamId?: string;
  readonly teamDomain?: string;
  readonly apiAppId?: string;
  readonly botUserId?: string;
  /** The deprecated verification token Slack still sends as `token`. */
  readonly verificationToken?: string;
  readonly now?: () => Date;
}

export interface BlockActionInput {
  readonly user: string | SlackUserRef;
  readonly channel: string;
  readonly channelName?: string;
  /** The message clicked on; its blocks and the button come from the emulator when not given. */
  readonly messageTs: string;
  readonly actionId: string;
  readonly blockId?: string;
  readonly value?: string;
  readonly blocks?: readonly unknown[];
  readonly text?: string;
}

export interface ViewSubmissionInput {
  readonly user: string | SlackUserRef;
  /** An opened view's id (its callback_id, private_metadata and blocks come from the emulator). */
  readonly viewId?: string;
  readonly callbackId?: string;
  readonly privateMetadata?: string;
  readonly values: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface SlashCommandInput {
  readonly command: string;
  readonly text?: string;
  readonly user: string | SlackUserRef;
  readonly channel: string;
  readonly channelName?: string;
}

/** What an interaction handed the app, so a test can follow its follow-ups in the emulator. */
export interface InteractionDelivery extends SlackDelivery {
  readonly triggerId: string;
  readonly responseUrl: string;
}

export interface SlackRequestClient {
  sendEvent(
    url: string,
    event: Record<string, unknown>,
    options?: DeliveryOptions & { readonly eventId?: string; readonly teamId?: string },
  ): Promise<SlackDelivery & { readonly eventId: string }>;
  sendUrlVerification(url: string, challenge?: string, options?: DeliveryOptions): Promise<SlackDelivery>;
  sendBlockActions(
    url: string,
    input: BlockActionInput,
    options?: DeliveryOptions,
  ): Promise<InteractionDelivery>;
  sendViewSubmission(
    url: string,
    input: ViewSubmissionInput,
    options?: DeliveryOptions,
  ): Promise<InteractionDelivery>;
  sendSlashCommand(
    url: string,
    input: SlashCommandInput,
    options?: DeliveryOptions,
  ): Promise<InteractionDelivery>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Sends requests to an app URL as Slack does: documented payload shapes (`event_callback`,
 * `url_verification`, `block_actions` and `view_submission` as a `payload=` form field, slash-command
 * form fields), signed with v0, with Slack's retry headers on demand.
 */
export function createSlackRequestClient(options: SlackRequestClientOptions): SlackRequestClient {
  const emulator = options.emulator;
  const now = options.now ?? (() => new Date());
  const teamId = options.teamId ?? emulator?.teamId ?? 'T0EMULATED';
  const teamDomain = options.teamDomain ?? 'settleops-emulated';
  const apiAppId = options.apiAppId ?? emulator?.apiAppId ?? 'A0SETTLEOPS';
  const botUserId = options.botUserId ?? emulator?.botUserId ?? 'U0SETTLEOPS';
  const token = options.verificationToken ?? 'emulated-verification-token';
  const userRef = (u: string | SlackUserRef) => {
    const id = typeof u === 'string' ? u : u.id;
    const name = typeof u === 'string' ? u : (u.name ?? u.id);
    return { id, username: name, name, team_id: teamId };
  };
  const triggerId = (user: string) =>
    emulator?.issueTriggerId(user) ??
    `${Math.floor(now().getTime() / 1000)}.1.${randomBytes(8).toString('hex')}`;
  const responseUrl = (context: { channel?: string; user?: string; messageTs?: string }) => {
    if (emulator === undefined)
      throw new Error('an interaction needs the emulator to issue its response_url');
    return emulator.responseUrl(context);
  };

  async function deliver(url: string, body: string, contentType: string, o: DeliveryOptions = {}) {
    const timestamp = o.timestamp ?? Math.floor(now().getTime() / 1000);
    const secret = o.badSignature === true ? `${options.signingSecret}-forged` : options.signingSecret;
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signRequest(secret, timestamp, body),
    };
    if (o.retryNum !== undefined) headers['x-slack-retry-num'] = String(o.retryNum);
    if (o.retryReason !== undefined) headers['x-slack-retry-reason'] = o.retryReason;
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers, body });
    const text = await response.text();
    return {
      status: response.status,
      body: text,
      headers: Object.fromEntries(response.headers),
      elapsedMs: performance.now() - started,
    };
  }
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const FORM = 'application/x-www-form-urlencoded';

  return {
    async sendEvent(url, event, o = {}) {
      const eventId = o.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
      const team = o.teamId ?? teamId;
      const envelope = {
        token,
        team_id: team,
        api_app_id: apiAppId,
        event,
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(now().getTime() / 1000),
        authorizations: [
          {
            enterprise_id: null,
            team_id: team,
            user_id: botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
        event_context: `4-${Buffer.from(JSON.stringify({ eventId, team })).toString('base64url')}`,
      };
      return { ...(await deliver(url, JSON.stringify(envelope), 'application/json', o)), eventId };
    },

    sendUrlVerification(url, challenge = randomBytes(16).toString('hex'), o = {}) {
      return deliver(
        url,
        JSON.stringify({ token, challenge, type: 'url_verification' }),
        'application/json',
        o,
      );
    },

    async sendBlockActions(url, input, o = {}) {
      const user = userRef(input.user);
      const message = emulator?.messages(input.channel).find((m) => m.ts === input.messageTs);
      const blocks = input.blocks ?? message?.blocks ?? [];
      const found = findElement(blocks, input.actionId);
      const blockId = input.blockId ?? found?.blockId;
      if (blockId === undefined)
        throw new Error(`no block_id: give blockId or post a message with action_id ${input.actionId}`);
      const element = found?.element ?? {};
      const trigger = triggerId(user.id);
      const respondTo = responseUrl({ channel: input.channel, user: user.id, messageTs: input.messageTs });
      const value = input.value ?? (typeof element.value === 'string' ? element.value : undefined);
      const payload = {
        type: 'block_actions',
        user,
        api_app_id: apiAppId,
        token,
        container: {
          type: 'message',
          message_ts: input.messageTs,
          channel_id: input.channel,
          is_ephemeral: false,
        },
        trigger_id: trigger,
        team: { id: teamId, domain: teamDomain },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: input.channel, name: input.channelName ?? input.channel },
        message: {
          type: 'message',
          ts: input.messageTs,
          text: input.text ?? message?.text ?? '',
          ...(message === undefined ? {} : { user: message.user }),
          ...(message?.bot_id === undefined ? {} : { bot_id: message.bot_id }),
          blocks,
        },
        state: { values: {} },
        response_url: respondTo,
        actions: [
          {
            action_id: input.actionId,
            block_id: blockId,
            ...(isObject(element.text) ? { text: element.text } : {}),
            ...(value === undefined ? {} : { value }),
            type: typeof element.type === 'string' ? element.type : 'button',
            action_ts: slackTs(now()),
          },
        ],
      };
      const delivery = await deliver(url, form({ payload: JSON.stringify(payload) }), FORM, o);
      return { ...delivery, triggerId: trigger, responseUrl: respondTo };
    },

    async sendViewSubmission(url, input, o = {}) {
      const user = userRef(input.user);
      const opened =
        input.viewId === undefined ? undefined : emulator?.views.find((v) => v.id === input.viewId);
      const base: Json = opened === undefined ? { type: 'modal', blocks: [] } : { ...opened.view };
      const id = input.viewId ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
      const trigger = triggerId(user.id);
      const view = {
        ...base,
        id,
        team_id: teamId,
        callback_id: input.callbackId ?? base.callback_id ?? '',
        private_metadata: input.privateMetadata ?? base.private_metadata ?? '',
        state: { values: input.values },
        hash: `${Math.floor(now().getTime() / 1000)}.${id.toLowerCase()}`,
        app_id: apiAppId,
      };
      const payload = {
        type: 'view_submission',
        team: { id: teamId, domain: teamDomain },
        user,
        api_app_id: apiAppId,
        token,
        trigger_id: trigger,
        view,
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      const delivery = await deliver(url, form({ payload: JSON.stringify(payload) }), FORM, o);
      // A modal has no response_url of its own unless it asks for one; the trigger is what it hands over.
      return { ...delivery, triggerId: trigger, responseUrl: '' };
    },

    async sendSlashCommand(url, input, o = {}) {
      const user = userRef(input.user);
      const trigger = triggerId(user.id);
      const respondTo = responseUrl({ channel: input.channel, user: user.id });
      const body = form({
        token,
        team_id: teamId,
        team_domain: teamDomain,
        channel_id: input.channel,
        channel_name: input.channelName ?? input.channel,
        user_id: user.id,
        user_name: user.name,
        command: input.command,
        text: input.text ?? '',
        api_app_id: apiAppId,
        is_enterprise_install: 'false',
        response_url: respondTo,
        trigger_id: trigger,
      });
      return { ...(await deliver(url, body, FORM, o)), triggerId: trigger, responseUrl: respondTo };
    },
  };
}

/** The interactive element with `actionId` in `blocks`, and the block holding it. */
function findElement(
  blocks: readonly unknown[],
  actionId: string,
): { blockId: string; element: Json } | undefined {
  for (const block of blocks) {
    if (!isObject(block) || typeof block.block_id !== 'string') continue;
    const candidates = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      block.accessory,
      block.element,
    ];
    for (const element of candidates)
      if (isObject(element) && element.action_id === actionId) return { blockId: block.block_id, element };
  }
  return undefined;
}
