import { z } from 'zod';

/**
 * What a deployment chooses at synth time (`cdk synth -c key=value` or `cdk.json` "context"). The
 * Slack alert channel, the budget and its e-mail are CloudFormation parameters instead (they change
 * no resource shape); see README "Deploy to AWS".
 */
export interface Settings {
  /** The strong Bedrock model (model id or inference profile id); unset → the offline planner. */
  readonly modelId: string | undefined;
  /** The fast model (defaults to the strong one). */
  readonly fastModelId: string | undefined;
  /** Where the models are invoked (defaults to the stack's region). */
  readonly bedrockRegion: string | undefined;
  /** `retain` (default): tables and keys outlive the stack, deletion protection on; `destroy`: a test deployment. */
  readonly removal: 'retain' | 'destroy';
  /** Days of CloudWatch Logs retention for every log group. */
  readonly logRetentionDays: number;
  /** Alarm when the estimated model spend of one hour exceeds this many USD. */
  readonly hourlyTokenSpendAlarmUsd: number;
  /** Days AgentCore Memory keeps session events (7–365). */
  readonly memoryEventExpiryDays: number;
}

/** CloudWatch Logs' allowed retention periods, in days. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const modelId = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.:_-]{2,199}$/, 'must be a Bedrock model or inference profile id')
  .optional();

const number = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const SettingsSchema = z
  .object({
    bedrockModelId: modelId,
    bedrockFastModelId: modelId,
    bedrockRegion: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region such as us-east-1')
      .optional(),
    removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
    logRetentionDays: z.coerce
      .number()
      .int()
      .refine((d) => RETENTION_DAYS.includes(d), `must be one of ${RETENTION_DAYS.join(', ')}`)
      .default(90),
    hourlyTokenSpendAlarmUsd: number(1, 100_000, 20),
    memoryEventExpiryDays: number(7, 365, 30),
  })
  .refine((s) => s.bedrockFastModelId === undefined || s.bedrockModelId !== undefined, {
    path: ['bedrockFastModelId'],
    message: 'needs bedrockModelId (the strong model) as well',
  });

/** Reads the settings from CDK context values (strings from `-c`, or JSON values from cdk.json). */
export function readSettings(context: (key: string) => unknown): Settings {
  const raw = Object.fromEntries(
    Object.keys(SettingsSchema.shape)
      .map((key) => [key, context(key)] as const)
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid CDK context:\n${problems}`);
  }
  const s = parsed.data;
  return {
    modelId: s.bedrockModelId,
    fastModelId: s.bedrockFastModelId,
    bedrockRegion: s.bedrockRegion,
    removal: s.removalPolicy,
    logRetentionDays: s.logRetentionDays,
    hourlyTokenSpendAlarmUsd: s.hourlyTokenSpendAlarmUsd,
    memoryEventExpiryDays: s.memoryEventExpiryDays,
  };
}
