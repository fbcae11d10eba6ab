import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { SettleOpsError } from './errors.ts';

/**
 * The configuration contract (see README, "Configuration"). This module is the only reader of
 * `process.env`; everything else receives a `Config`. Parsing fails fast naming every bad variable.
 */

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url({ message: 'must be a URL such as http://127.0.0.1:8000' }).optional())
  .optional();

/** A blank or whitespace-only value counts as unset, so the default applies. */
/** A variable holding JSON: parsed, or "must be JSON"; `.pipe` a schema for what it must hold. */
const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be JSON' });
    return z.NEVER;
  }
});

const blankAsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

const intIn = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const optionalInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : undefined),
    z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .optional(),
  );

/** Slack's credentials, whether from the environment or from Secrets Manager (`slackConfigWithSecrets`). */
const botTokenSchema = z
  .string()
  .trim()
  .regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be a bot token (xoxb-…)');
const signingSecretSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]{16,128}$/, "must be the app's signing secret");

const secretArn = blankAsUnset(
  z
    .string()
    .trim()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
      'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)',
    )
    .optional(),
);

const EnvSchema = z
  .object({
    DYNAMODB_ENDPOINT: optionalUrl,
    AWS_REGION: optionalString,
    BEDROCK_REGION: optionalString,
    AUDIT_KMS_KEY_ID: optionalString,
    KMS_ENDPOINT: optionalUrl,
    SETTLEOPS_TABLE: blankAsUnset(
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)')
        .default('settleops'),
    ),
    SETTLEOPS_TABLE_PROVISIONED: blankAsUnset(
      z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
    ),
    SETTLEOPS_DATA_DIR: optionalString,
    SETTLEOPS_CACHE_DIR: optionalString,
    SETTLEOPS_AUTO_MATCH_THRESHOLD: optionalInt(1, 100),
    SETTLEOPS_REVIEW_THRESHOLD: optionalInt(0, 100),
    SETTLEOPS_MATCHING_PROFILE: optionalString,
    SETTLEOPS_SLA_POLICY: optionalString,
    SETTLEOPS_SWEEP_INTERVAL_SECONDS: blankAsUnset(intIn(1, 3600, 30)),
    SETTLEOPS_LOG_LEVEL: blankAsUnset(z.enum(['debug', 'info', 'warn', 'error']).default('info')),
    AGENT_RUNTIME_ARN: blankAsUnset(
      z
        .string()
        .trim()
        .regex(
          /^arn:aws[a-z-]*:bedrock-agentcore:[a-z0-9-]+:\d{12}:runtime\/[A-Za-z][A-Za-z0-9_]{0,99}-[A-Za-z0-9]{10}$/,
          'must be an AgentCore Runtime ARN (arn:aws:bedrock-agentcore:REGION:ACCOUNT:runtime/NAME-ID)',
        )
        .optional(),
    ),
    AGENTCORE_ENDPOINT: optionalUrl,
    AGENTCORE_MEMORY_ID: blankAsUnset(
      z
        .string()
        .trim()
        .regex(
          /^[a-zA-Z][a-zA-Z0-9_-]{0,99}-[a-zA-Z0-9]{10}$/,
          'must be an AgentCore Memory id (NAME-XXXXXXXXXX)',
        )
        .optional(),
    ),
    WORKLOAD_IDENTITY_NAME: blankAsUnset(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a workload identity name (3-255 of A-Z a-z 0-9 _ . -)')
        .optional(),
    ),
    SETTLEOPS_MEMORY_IDLE_MINUTES: blankAsUnset(intIn(1, 10_080, 15)),
    SETTLEOPS_MEMORY_MAX_FACTS: blankAsUnset(intIn(1, 1000, 50)),
    SETTLEOPS_AGENT_PORT: blankAsUnset(intIn(1, 65535, 8080)),
    SLACK_BOT_TOKEN: blankAsUnset(botTokenSchema.optional()),
    SLACK_SIGNING_SECRET: blankAsUnset(signingSecretSchema.optional()),
    SLACK_BOT_TOKEN_ARN: secretArn,
    SLACK_SIGNING_SECRET_ARN: secretArn,
    SETTLEOPS_JOB_QUEUE_URL: optionalUrl,
    SLACK_APP_TOKEN: blankAsUnset(
      z
        .string()
        .trim()
        .regex(/^xapp-[A-Za-z0-9-]+$/, 'must be an app-level token (xapp-…) for Socket Mode')
        .optional(),
    ),
    SLACK_API_URL: optionalUrl,
    SLACK_ALERT_CHANNEL: blankAsUnset(
      z
        .string()
        .trim()
        .regex(/^[CG][A-Z0-9]{2,20}$/, 'must be a channel id (C… or G…)')
        .optional(),
    ),
    PORT: blankAsUnset(intIn(1, 65535, 3000)),
    HOST: blankAsUnset(z.string().trim().min(1).default('127.0.0.1')),
    BEDROCK_MODEL_ID: optionalString,
    BEDROCK_FAST_MODEL_ID: optionalString,
    BEDROCK_ENDPOINT: optionalUrl,
    BEDROCK_GUARDRAIL_ID: optionalString,
    BEDROCK_GUARDRAIL_VERSION: blankAsUnset(
      z
        .string()
        .trim()
        .regex(/^(DRAFT|[1-9][0-9]{0,7})$/, 'must be DRAFT or a version number')
        .optional(),
    ),
    BEDROCK_MODEL_CAPABILITIES: blankAsUnset(
      jsonText
        .pipe(
          z.record(
            z.string().min(1),
            z.strictObject(
              {
                family: z.string().min(1).optional(),
                cachePoints: z.array(z.enum(['system', 'messages', 'tools'])).optional(),
                minCacheTokens: z.number().int().nonnegative().optional(),
                maxCachePoints: z.number().int().min(0).max(4).optional(),
                streamingToolUse: z.boolean().optional(),
                toolChoice: z.array(z.enum(['auto', 'any', 'tool'])).optional(),
                guardrails: z.boolean().optional(),
                contextWindowTokens: z.number().int().positive().optional(),
                maxOutputTokens: z.number().int().positive().optional(),
              },
              {
                message:
                  'must map model ids (or id prefixes) to capabilities: {cachePoints?, minCacheTokens?, maxCachePoints?, streamingToolUse?, toolChoice?, guardrails?, contextWindowTokens?, maxOutputTokens?, family?}',
              },
            ),
          ),
        )
        .optional(),
    ),
    SETTLEOPS_MODEL_PRICES: blankAsUnset(
      jsonText
        .pipe(
          z.record(
            z.string().min(1),
            z.strictObject(
              {
                input: z.number().nonnegative(),
                output: z.number().nonnegative(),
                cacheRead: z.number().nonnegative().optional(),
                cacheWrite: z.number().nonnegative().optional(),
              },
              {
                message:
                  'must map model ids to {input, output, cacheRead?, cacheWrite?} in USD per million tokens',
              },
            ),
          ),
        )
        .optional(),
    ),
  })
  // A check across fields, run even when other variables are bad, so every problem is named at once.
  .superRefine(
    (e, ctx) => {
      const review = e.SETTLEOPS_REVIEW_THRESHOLD ?? 85;
      const auto = e.SETTLEOPS_AUTO_MATCH_THRESHOLD ?? 98;
      const inRange = (v: unknown, min: number): v is number =>
        typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 100;
      if (inRange(review, 0) && inRange(auto, 1) && review >= auto) {
        ctx.addIssue({
          code: 'custom',
          path: ['SETTLEOPS_REVIEW_THRESHOLD'],
          message: `must be below SETTLEOPS_AUTO_MATCH_THRESHOLD (${auto})`,
        });
      }
      const set = (v: unknown) => typeof v === 'string' && v.trim() !== '';
      for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const) {
        if (set(e[name]) && set(e[`${name}_ARN`])) {
          ctx.addIssue({
            code: 'custom',
            path: [`${name}_ARN`],
            message: `set either ${name} or ${name}_ARN, not both`,
          });
        }
      }
      if ((set(e.SLACK_BOT_TOKEN_ARN) || set(e.SLACK_SIGNING_SECRET_ARN)) && !set(e.SLACK_ALERT_CHANNEL)) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_ALERT_CHANNEL'],
          message: 'is required with Slack (the channel alerts are posted to)',
        });
      }
      const slack = [e.SLACK_BOT_TOKEN, e.SLACK_SIGNING_SECRET, e.SLACK_APP_TOKEN].some(set);
      if (slack && !set(e.SLACK_BOT_TOKEN)) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_BOT_TOKEN'],
          message: 'is required to run the Slack bot',
        });
      }
      if (
        slack &&
        !set(e.SLACK_APP_TOKEN) &&
        !set(e.SLACK_SIGNING_SECRET) &&
        !set(e.SLACK_SIGNING_SECRET_ARN)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_SIGNING_SECRET'],
          message: 'is required for the HTTP receiver (or set SLACK_APP_TOKEN for Socket Mode)',
        });
      }
      if (slack && !set(e.SLACK_ALERT_CHANNEL)) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_ALERT_CHANNEL'],
          message: 'is required with Slack (the channel alerts are posted to)',
        });
      }
      if (
        set(e.AGENTCORE_ENDPOINT) &&
        !set(e.AGENT_RUNTIME_ARN) &&
        !set(e.AGENTCORE_MEMORY_ID) &&
        !set(e.WORKLOAD_IDENTITY_NAME)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['AGENTCORE_ENDPOINT'],
          message:
            'needs AGENT_RUNTIME_ARN, AGENTCORE_MEMORY_ID or WORKLOAD_IDENTITY_NAME (what to reach there)',
        });
      }
      if (set(e.BEDROCK_FAST_MODEL_ID) && !set(e.BEDROCK_MODEL_ID)) {
        ctx.addIssue({
          code: 'custom',
          path: ['BEDROCK_FAST_MODEL_ID'],
          message: 'needs BEDROCK_MODEL_ID (the strong model) as well',
        });
      }
      if (set(e.BEDROCK_GUARDRAIL_ID) !== set(e.BEDROCK_GUARDRAIL_VERSION)) {
        ctx.addIssue({
          code: 'custom',
          path: [set(e.BEDROCK_GUARDRAIL_ID) ? 'BEDROCK_GUARDRAIL_VERSION' : 'BEDROCK_GUARDRAIL_ID'],
          message: 'BEDROCK_GUARDRAIL_ID and BEDROCK_GUARDRAIL_VERSION go together',
        });
      }
    },
    { when: () => true },
  );

export interface Config {
  readonly dynamodb: {
    /** An existing DynamoDB to use as is; unset → embedded DynamoDB Local. */
    readonly endpoint: string | undefined;
    readonly region: string;
    readonly table: string;
    /**
     * The table is provisioned by infrastructure (the CDK stack): processes neither create nor alter
     * it, so they need no table administration rights.
     */
    readonly provisioned: boolean;
  };
  /** Where embedded data persists (`./.settleops` by default). */
  readonly dataDir: string;
  /** Where downloaded artefacts (DynamoDB Local) are cached. */
  readonly cacheDir: string;
  readonly matching: {
    /** Set only when configured in the environment (otherwise the policy file's or the default). */
    readonly thresholds: { readonly autoMatchThreshold?: number; readonly reviewThreshold?: number };
    /** JSON file overriding the default tolerance profile and penalties. */
    readonly profilePath: string | undefined;
  };
  readonly audit: {
    /**
     * A KMS HMAC key (id, ARN or alias) the audit chains' signing key is derived from; unset → a key
     * file under the data dir (one machine).
     */
    readonly kmsKeyId: string | undefined;
    /** KMS endpoint override (unset → the SDK's regional endpoint). */
    readonly kmsEndpoint: string | undefined;
  };
  /** JSON file overriding the default SLA policy. */
  readonly slaPolicyPath: string | undefined;
  readonly sweepIntervalSeconds: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly agentcore: {
    /** A deployed AgentCore Runtime to invoke; unset → the runtime app in-process behind the local endpoint. */
    readonly runtimeArn: string | undefined;
    /** Endpoint override for the AgentCore data plane (unset with an ARN → the SDK's regional endpoint). */
    readonly endpoint: string | undefined;
    /** Port of the runtime app (`settleops agent`); the container contract says 8080. */
    readonly agentPort: number;
    readonly region: string;
    /** AgentCore Memory for session events and long-term facts; unset → the DynamoDB adapters. */
    readonly memoryId: string | undefined;
    /** AgentCore Identity workload the runtime's tokens are issued for; unset → the local signer. */
    readonly workloadIdentityName: string | undefined;
  };
  /** The Slack bot; undefined without Slack credentials (`npm start` plays the embedded day). */
  readonly slack: SlackConfig | undefined;
  /**
   * Where the Slack credentials are on AWS (Secrets Manager ARNs), for processes that read them at cold
   * start (`slackConfigWithSecrets`); undefined when neither ARN is set.
   */
  readonly slackSecrets: SlackSecretsConfig | undefined;
  /** The SQS FIFO queue ingress hands jobs to the worker through (the Lambda deployment). */
  readonly jobQueueUrl: string | undefined;
  readonly memory: {
    /** A session idle this long is consolidated into long-term memory. */
    readonly idleMinutes: number;
    /** Facts kept per person; above it the least recently stated are compacted away. */
    readonly maxFacts: number;
  };
  readonly bedrock: {
    /** The strong model; unset → the offline planner. */
    readonly modelId: string | undefined;
    /** The fast model for routing and simple look-ups (defaults to the strong one). */
    readonly fastModelId: string | undefined;
    readonly endpoint: string | undefined;
    /** Where the models are invoked (BEDROCK_REGION, else AWS_REGION): models are not in every region. */
    readonly region: string;
    /** Bedrock Guardrails; unset → only the local screens. */
    readonly guardrail: { readonly id: string; readonly version: string } | undefined;
    /**
     * Per-model capability overrides (BEDROCK_MODEL_CAPABILITIES), keyed by model id or id prefix,
     * over the built-in table (src/agents/model/model-capabilities.ts).
     */
    readonly capabilities: Readonly<Record<string, ModelCapabilityOverride>>;
  };
  /**
   * Model prices overriding the built-in defaults (src/agents/traces/cost.ts), keyed by model id or
   * id prefix, in USD per million tokens.
   */
  readonly modelPrices: Readonly<Record<string, ModelPrice>>;
}

export interface SlackConfig {
  readonly botToken: string;
  /** HTTP receiver (events, interactivity, slash commands at POST /slack/events); unset with Socket Mode. */
  readonly signingSecret: string | undefined;
  /** Socket Mode when set. */
  readonly appToken: string | undefined;
  /** Web API base URL (`https://slack.com/api/` when unset). */
  readonly apiUrl: string | undefined;
  readonly alertChannel: string;
  /** The HTTP receiver's port and interface (loopback unless HOST says otherwise). */
  readonly port: number;
  readonly host: string;
}

/** What a model can do on Converse, as BEDROCK_MODEL_CAPABILITIES overrides it (every field optional). */
export interface ModelCapabilityOverride {
  readonly family?: string;
  /** Where cache points may go; `[]` turns prompt caching off. */
  readonly cachePoints?: readonly ('system' | 'messages' | 'tools')[];
  /** Tokens a prefix needs before a cache point caches anything. */
  readonly minCacheTokens?: number;
  readonly maxCachePoints?: number;
  /** Tool use over ConverseStream (otherwise tool-using calls go through Converse). */
  readonly streamingToolUse?: boolean;
  readonly toolChoice?: readonly ('auto' | 'any' | 'tool')[];
  /** Bedrock Guardrails with Converse. */
  readonly guardrails?: boolean;
  readonly contextWindowTokens?: number;
  readonly maxOutputTokens?: number;
}

export interface SlackSecretsConfig {
  readonly botTokenArn: string | undefined;
  readonly signingSecretArn: string | undefined;
  readonly alertChannel: string;
  readonly apiUrl: string | undefined;
}

/** USD per million tokens. Cache prices default to the input price when not given. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

export class ConfigError extends SettleOpsError {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment once. Throws `ConfigError` listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const region = e.AWS_REGION ?? 'us-east-1';
  const cacheHome =
    env.XDG_CACHE_HOME !== undefined && env.XDG_CACHE_HOME !== ''
      ? env.XDG_CACHE_HOME
      : join(homedir(), '.cache');
  return {
    dynamodb: {
      endpoint: e.DYNAMODB_ENDPOINT,
      region,
      table: e.SETTLEOPS_TABLE,
      provisioned: e.SETTLEOPS_TABLE_PROVISIONED === 'true',
    },
    dataDir: resolve(cwd, e.SETTLEOPS_DATA_DIR ?? '.settleops'),
    cacheDir: resolve(cwd, e.SETTLEOPS_CACHE_DIR ?? join(cacheHome, 'settleops')),
    matching: {
      thresholds: {
        ...(e.SETTLEOPS_AUTO_MATCH_THRESHOLD === undefined
          ? {}
          : { autoMatchThreshold: e.SETTLEOPS_AUTO_MATCH_THRESHOLD }),
        ...(e.SETTLEOPS_REVIEW_THRESHOLD === undefined
          ? {}
          : { reviewThreshold: e.SETTLEOPS_REVIEW_THRESHOLD }),
      },
      profilePath: e.SETTLEOPS_MATCHING_PROFILE,
    },
    audit: { kmsKeyId: e.AUDIT_KMS_KEY_ID, kmsEndpoint: e.KMS_ENDPOINT },
    slaPolicyPath: e.SETTLEOPS_SLA_POLICY,
    sweepIntervalSeconds: e.SETTLEOPS_SWEEP_INTERVAL_SECONDS,
    logLevel: e.SETTLEOPS_LOG_LEVEL,
    agentcore: {
      runtimeArn: e.AGENT_RUNTIME_ARN,
      endpoint: e.AGENTCORE_ENDPOINT,
      agentPort: e.SETTLEOPS_AGENT_PORT,
      region,
      memoryId: e.AGENTCORE_MEMORY_ID,
      workloadIdentityName: e.WORKLOAD_IDENTITY_NAME,
    },
    memory: { idleMinutes: e.SETTLEOPS_MEMORY_IDLE_MINUTES, maxFacts: e.SETTLEOPS_MEMORY_MAX_FACTS },
    slack:
      e.SLACK_BOT_TOKEN === undefined || e.SLACK_ALERT_CHANNEL === undefined
        ? undefined
        : {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            alertChannel: e.SLACK_ALERT_CHANNEL,
            port: e.PORT,
            host: e.HOST,
          },
    slackSecrets:
      (e.SLACK_BOT_TOKEN_ARN === undefined && e.SLACK_SIGNING_SECRET_ARN === undefined) ||
      e.SLACK_ALERT_CHANNEL === undefined
        ? undefined
        : {
            botTokenArn: e.SLACK_BOT_TOKEN_ARN,
            signingSecretArn: e.SLACK_SIGNING_SECRET_ARN,
            alertChannel: e.SLACK_ALERT_CHANNEL,
            apiUrl: e.SLACK_API_URL,
          },
    jobQueueUrl: e.SETTLEOPS_JOB_QUEUE_URL,
    bedrock: {
      modelId: e.BEDROCK_MODEL_ID,
      fastModelId: e.BEDROCK_FAST_MODEL_ID,
      endpoint: e.BEDROCK_ENDPOINT,
      region: e.BEDROCK_REGION ?? region,
      guardrail:
        e.BEDROCK_GUARDRAIL_ID === undefined || e.BEDROCK_GUARDRAIL_VERSION === undefined
          ? undefined
          : { id: e.BEDROCK_GUARDRAIL_ID, version: e.BEDROCK_GUARDRAIL_VERSION },
      capabilities: Object.fromEntries(
        Object.entries(e.BEDROCK_MODEL_CAPABILITIES ?? {}).map(([id, c]) => [
          id,
          Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as ModelCapabilityOverride,
        ]),
      ),
    },
    modelPrices: Object.fromEntries(
      Object.entries(e.SETTLEOPS_MODEL_PRICES ?? {}).map(([id, p]) => [
        id,
        {
          input: p.input,
          output: p.output,
          ...(p.cacheRead === undefined ? {} : { cacheRead: p.cacheRead }),
          ...(p.cacheWrite === undefined ? {} : { cacheWrite: p.cacheWrite }),
        },
      ]),
    ),
  };
}

/**
 * The Slack configuration of a process whose credentials come from Secrets Manager: the values read at
 * cold start, checked like the environment's (a bad secret is named, never echoed), on top of the
 * channel and API URL from the environment. The HTTP receiver's port and host do not apply.
 */
export function slackConfigWithSecrets(
  secrets: SlackSecretsConfig,
  values: { readonly botToken: string; readonly signingSecret?: string | undefined },
): SlackConfig {
  const problems: string[] = [];
  const token = botTokenSchema.safeParse(values.botToken);
  if (!token.success)
    problems.push(`secret ${secrets.botTokenArn ?? 'SLACK_BOT_TOKEN_ARN'}: must be a bot token (xoxb-…)`);
  const signing =
    values.signingSecret === undefined ? undefined : signingSecretSchema.safeParse(values.signingSecret);
  if (signing !== undefined && !signing.success)
    problems.push(
      `secret ${secrets.signingSecretArn ?? 'SLACK_SIGNING_SECRET_ARN'}: must be the app's signing secret`,
    );
  if (problems.length > 0 || !token.success) throw new ConfigError(problems);
  return {
    botToken: token.data,
    signingSecret: signing?.success === true ? signing.data : undefined,
    appToken: undefined,
    apiUrl: secrets.apiUrl,
    alertChannel: secrets.alertChannel,
    port: 3000,
    host: '127.0.0.1',
  };
}
