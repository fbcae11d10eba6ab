import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { TABLE_DATA_ACTIONS } from '../../infra/constructs/data-store.ts';
import { modelResourceArns } from '../../infra/model-arns.ts';
import {
  actionsOf,
  type CfnTemplate,
  type PolicyStatement,
  policyStatements,
  refOf,
  resourcesOfType,
  rolePolicyStatements,
  wildcardActions,
} from '../support/cfn-template.ts';

const STRONG = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const FAST = 'anthropic.claude-3-5-haiku-20241022-v1:0';

let template: Template;
let json: CfnTemplate;
let nagViolations: string[];
let assetManifest: { dockerImages?: Record<string, { source: { platform?: string; directory?: string } }> };

// One synthesis for the whole file (it takes seconds): the functions are not bundled (no esbuild run),
// everything else is as `npm run synth` makes it, CloudFormation's own validation included.
beforeAll(() => {
  const { app, stack } = buildApp({
    context: { 'aws:cdk:bundling-stacks': [], bedrockModelId: STRONG, bedrockFastModelId: FAST },
    nag: false,
  });
  nagViolations = new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`));
  const assembly = app.synth();
  template = Template.fromStack(stack);
  json = template.toJSON() as CfnTemplate;
  assetManifest = JSON.parse(
    readFileSync(join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8'),
  ) as typeof assetManifest;
}, 180_000);

const logicalIdOf = (type: string, match: (props: Record<string, unknown>) => boolean): string => {
  const found = resourcesOfType(json, type).filter(([, r]) => match(r.Properties ?? {}));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as [string, unknown])[0];
};

const propsOf = (resource: { Properties?: Record<string, unknown> } | undefined): Record<string, unknown> =>
  resource?.Properties ?? {};
const runtimeId = () => logicalIdOf('AWS::BedrockAgentCore::Runtime', () => true);
const roleOfFunction = (entryDescription: string): string => {
  const fn = resourcesOfType(json, 'AWS::Lambda::Function').find(([, r]) =>
    String(r.Properties?.Description ?? '').startsWith(entryDescription),
  );
  if (fn === undefined) throw new Error(`no function "${entryDescription}"`);
  return refOf(propsOf(fn[1]).Role);
};
const runtimeRole = () => refOf(json.Resources[runtimeId()]?.Properties?.RoleArn);
const statementsWith = (statements: PolicyStatement[], action: string) =>
  statements.filter((s) => actionsOf(s).includes(action));

describe('the SettleOps stack', () => {
  it('passes cdk-nag AwsSolutions (every finding fixed or acknowledged with a reason)', () => {
    expect(nagViolations).toStrictEqual([]);
  });

  describe('data', () => {
    it('keeps the table as the code expects it: pk/sk, four sparse GSIs, TTL, stream', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: ['byBlock', 'byQueue', 'byDue', 'byDay'].map((index) => ({
          IndexName: index,
          KeySchema: [
            { AttributeName: `${index}Pk`, KeyType: 'HASH' },
            { AttributeName: `${index}Sk`, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        StreamSpecification: { StreamViewType: 'KEYS_ONLY' },
      });
    });

    it('encrypts the table with a rotated customer-managed key, with PITR and deletion protection', () => {
      const table = resourcesOfType(json, 'AWS::DynamoDB::Table')[0]?.[1];
      const keyId = refOf((propsOf(table).SSESpecification as Record<string, unknown>).KMSMasterKeyId);
      expect(table?.Properties?.SSESpecification).toStrictEqual({
        KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        SSEEnabled: true,
        SSEType: 'KMS',
      });
      expect(json.Resources[keyId]?.Properties?.EnableKeyRotation).toBe(true);
      expect(table?.Properties?.PointInTimeRecoverySpecification).toStrictEqual({
        PointInTimeRecoveryEnabled: true,
      });
      expect(table?.Properties?.DeletionProtectionEnabled).toBe(true);
      expect(table?.DeletionPolicy).toBe('Retain');
    });

    it('has an HMAC key for the audit chain key derivation', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeySpec: 'HMAC_256',
        KeyUsage: 'GENERATE_VERIFY_MAC',
      });
    });
  });

  describe('agents', () => {
    it('runs the agent on AgentCore Runtime from an ARM64 image of the root Dockerfile, idle timeout 15 minutes', () => {
      template.hasResourceProperties('AWS::BedrockAgentCore::Runtime', {
        LifecycleConfiguration: { IdleRuntimeSessionTimeout: 900, MaxLifetime: 28_800 },
        NetworkConfiguration: { NetworkMode: 'PUBLIC' },
        ProtocolConfiguration: 'HTTP',
      });
      const images = Object.values(assetManifest.dockerImages ?? {});
      expect(images.map((i) => i.source.platform)).toStrictEqual(['linux/arm64']);
    });

    it("gives the runtime the configuration contract's variables, the HMAC key among them", () => {
      const env = json.Resources[runtimeId()]?.Properties?.EnvironmentVariables as Record<string, unknown>;
      expect(Object.keys(env).sort()).toStrictEqual(
        [
          'AGENTCORE_MEMORY_ID',
          'AUDIT_KMS_KEY_ID',
          'AWS_REGION',
          'BEDROCK_FAST_MODEL_ID',
          'BEDROCK_GUARDRAIL_ID',
          'BEDROCK_GUARDRAIL_VERSION',
          'BEDROCK_MODEL_ID',
          'BEDROCK_REGION',
          'DYNAMODB_ENDPOINT',
          'SETTLEOPS_DATA_DIR',
          'SETTLEOPS_LOG_LEVEL',
          'SETTLEOPS_TABLE',
          'SETTLEOPS_TABLE_PROVISIONED',
          'WORKLOAD_IDENTITY_NAME',
        ].sort(),
      );
      const hmacKey = logicalIdOf('AWS::KMS::Key', (p) => p.KeySpec === 'HMAC_256');
      expect(env.AUDIT_KMS_KEY_ID).toStrictEqual({ 'Fn::GetAtt': [hmacKey, 'Arn'] });
      expect(env.BEDROCK_MODEL_ID).toBe(STRONG);
      expect(env.SETTLEOPS_TABLE_PROVISIONED).toBe('true');
    });

    it('has AgentCore Memory with event expiry and the data key, and no extraction strategies', () => {
      const memory = resourcesOfType(json, 'AWS::BedrockAgentCore::Memory')[0]?.[1].Properties ?? {};
      expect(memory.EventExpiryDuration).toBe(30);
      const sse = resourcesOfType(json, 'AWS::DynamoDB::Table')[0]?.[1].Properties?.SSESpecification;
      expect(memory.EncryptionKeyArn).toStrictEqual({
        'Fn::GetAtt': [refOf((sse as { KMSMasterKeyId: unknown }).KMSMasterKeyId), 'Arn'],
      });
      expect(memory.MemoryStrategies).toBeUndefined();
    });

    it('has a guardrail with PII, prompt-attack and denied-topic policies, wired to the runtime by id and version', () => {
      template.hasResourceProperties('AWS::Bedrock::Guardrail', {
        ContentPolicyConfig: {
          FiltersConfig: Match.arrayWith([
            { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' },
          ]),
        },
        SensitiveInformationPolicyConfig: {
          PiiEntitiesConfig: Match.arrayWith([{ Type: 'AWS_SECRET_KEY', Action: 'BLOCK' }]),
        },
        TopicPolicyConfig: { TopicsConfig: Match.arrayWith([Match.objectLike({ Type: 'DENY' })]) },
      });
      const env = json.Resources[runtimeId()]?.Properties?.EnvironmentVariables as Record<string, unknown>;
      const guardrail = logicalIdOf('AWS::Bedrock::Guardrail', () => true);
      const version = logicalIdOf('AWS::Bedrock::GuardrailVersion', () => true);
      expect(env.BEDROCK_GUARDRAIL_ID).toStrictEqual({ 'Fn::GetAtt': [guardrail, 'GuardrailId'] });
      expect(env.BEDROCK_GUARDRAIL_VERSION).toStrictEqual({ 'Fn::GetAtt': [version, 'Version'] });
    });
  });

  describe('least privilege', () => {
    it('lets only the worker invoke the runtime, as a user too, on this runtime only', () => {
      const invoking = policyStatements(json).filter((p) =>
        p.actions.some((a) => a.startsWith('bedrock-agentcore:InvokeAgentRuntime')),
      );
      expect(invoking.map((p) => p.roles)).toStrictEqual([[roleOfFunction('SettleOps Slack worker')]]);
      expect(invoking[0]?.statement).toStrictEqual({
        Sid: 'InvokeAgentRuntime',
        Effect: 'Allow',
        Action: ['bedrock-agentcore:InvokeAgentRuntime', 'bedrock-agentcore:InvokeAgentRuntimeForUser'],
        Resource: [
          { 'Fn::GetAtt': [runtimeId(), 'AgentRuntimeArn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [runtimeId(), 'AgentRuntimeArn'] }, '/runtime-endpoint/*']] },
        ],
      });
    });

    it('lets the runtime invoke the configured models and apply the guardrail, nothing else of Bedrock', () => {
      const statements = rolePolicyStatements(json, runtimeRole()).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('bedrock:')),
      );
      const guardrail = logicalIdOf('AWS::Bedrock::Guardrail', () => true);
      expect(statements).toStrictEqual([
        {
          Sid: 'InvokeModels',
          Effect: 'Allow',
          Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          Resource: expect.any(Array),
        },
        {
          Sid: 'ApplyGuardrail',
          Effect: 'Allow',
          Action: 'bedrock:ApplyGuardrail',
          Resource: { 'Fn::GetAtt': [guardrail, 'GuardrailArn'] },
        },
      ]);
      const resources = JSON.stringify(statements[0]?.Resource);
      expect(resources).toContain('inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(resources).toContain('foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(resources).toContain(`foundation-model/${FAST}`);
      expect(statements[0]?.Resource).toHaveLength(3);
    });

    it('gives every table user the actions the code sends, on this table and its indexes: no Scan, no administration', () => {
      const table = logicalIdOf('AWS::DynamoDB::Table', () => true);
      const tableStatements = policyStatements(json).filter((p) =>
        p.actions.some((a) => /^dynamodb:(GetItem|PutItem|Query)$/.test(a)),
      );
      const holders = tableStatements.flatMap((p) => p.roles).sort();
      expect(holders).toStrictEqual(
        [
          runtimeRole(),
          roleOfFunction('SettleOps Slack ingress'),
          roleOfFunction('SettleOps Slack worker'),
          roleOfFunction('SettleOps outbox notifier'),
          roleOfFunction('SettleOps SLA sweeper'),
          roleOfFunction('SettleOps memory consolidation'),
        ].sort(),
      );
      for (const { statement } of tableStatements) {
        expect(actionsOf(statement)).toStrictEqual([...TABLE_DATA_ACTIONS]);
        expect(statement.Resource).toStrictEqual([
          { 'Fn::GetAtt': [table, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [table, 'Arn'] }, '/index/*']] },
        ]);
      }
      const everyAction = policyStatements(json).flatMap((p) => p.actions);
      expect(
        everyAction.filter((a) =>
          /^dynamodb:(Scan|CreateTable|UpdateTable|DeleteTable|UpdateTimeToLive)$/.test(a),
        ),
      ).toStrictEqual([]);
    });

    it('lets the runtime use this memory only, and obtain user tokens of this workload identity only', () => {
      const statements = rolePolicyStatements(json, runtimeRole());
      const memory = logicalIdOf('AWS::BedrockAgentCore::Memory', () => true);
      const identity = logicalIdOf('AWS::BedrockAgentCore::WorkloadIdentity', () => true);
      const memoryStatements = statements.filter((s) => s.Sid === 'SettleOpsMemory');
      expect(memoryStatements.map((s) => s.Resource)).toStrictEqual([
        { 'Fn::GetAtt': [memory, 'MemoryArn'] },
      ]);
      expect(memoryStatements[0]?.Action).toContain('bedrock-agentcore:CreateEvent');
      const tokens = statementsWith(statements, 'bedrock-agentcore:GetWorkloadAccessTokenForUserId');
      expect(tokens).toHaveLength(1);
      expect(tokens[0]?.Action).toBe('bedrock-agentcore:GetWorkloadAccessTokenForUserId');
      expect(JSON.stringify(tokens[0]?.Resource)).toContain(identity);
      expect(JSON.stringify(tokens[0]?.Resource)).toContain('workload-identity-directory/default');
      expect(
        policyStatements(json).filter((p) => p.actions.some((a) => a.includes('GetWorkloadAccessToken')))
          .length,
      ).toBe(1);
    });

    it('holds GenerateMac on the HMAC key and nothing else of it', () => {
      const hmacKey = logicalIdOf('AWS::KMS::Key', (p) => p.KeySpec === 'HMAC_256');
      const onKey = policyStatements(json).filter((p) =>
        JSON.stringify(p.statement.Resource).includes(hmacKey),
      );
      expect(new Set(onKey.map((p) => JSON.stringify(p.statement.Action)))).toStrictEqual(
        new Set([JSON.stringify('kms:GenerateMac')]),
      );
    });

    it('has no wildcard action anywhere but the account-root administration statement of each KMS key policy', () => {
      expect(wildcardActions(json)).toStrictEqual([]);
    });

    it('puts no secret value in the template', () => {
      const text = JSON.stringify(json);
      expect(text).not.toMatch(/xox[abp]-\d|xapp-\d/);
      for (const [, secret] of resourcesOfType(json, 'AWS::SecretsManager::Secret')) {
        expect(secret.Properties?.SecretString).toBeUndefined();
        expect(secret.Properties?.GenerateSecretString).toStrictEqual({});
      }
      for (const [, fn] of resourcesOfType(json, 'AWS::Lambda::Function')) {
        const env = (propsOf(fn).Environment as { Variables?: Record<string, unknown> }).Variables ?? {};
        expect(
          Object.keys(env).filter((k) => /^SLACK_(BOT_TOKEN|SIGNING_SECRET|APP_TOKEN)$/.test(k)),
        ).toStrictEqual([]);
      }
      const worker = resourcesOfType(json, 'AWS::Lambda::Function').find(([, r]) =>
        String(r.Properties?.Description).startsWith('SettleOps Slack ingress'),
      )?.[1];
      const env = (propsOf(worker).Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env.SLACK_SIGNING_SECRET_ARN).toStrictEqual({
        Ref: expect.stringMatching(/^SlackSigningSecret/),
      });
      expect(env.SLACK_BOT_TOKEN_ARN).toStrictEqual({ Ref: expect.stringMatching(/^SlackBotToken/) });
    });
  });

  describe('Slack ingress and work', () => {
    it('queues jobs on SQS FIFO, deduplicated by the id ingress gives, with a FIFO dead-letter queue', () => {
      const dlq = logicalIdOf(
        'AWS::SQS::Queue',
        (p) => p.FifoQueue === true && p.RedrivePolicy === undefined,
      );
      template.hasResourceProperties('AWS::SQS::Queue', {
        FifoQueue: true,
        ContentBasedDeduplication: false,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 1080,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 3 },
      });
    });

    it('runs the worker on the queue one job at a time, reporting failures per message', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SlackBotJobs'), 'Arn'] },
      });
    });

    it('wakes the notifier on outbox items of the stream, with a dead-letter queue for failed batches', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        StartingPosition: 'LATEST',
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT', 'MODIFY'],
                dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } },
              }),
            },
          ],
        },
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    });

    it('exposes the ingress on a Function URL (Slack signs its requests; the function checks them)', () => {
      template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
      template.hasOutput('SlackRequestUrl', {
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'FunctionUrl'] }, 'slack/events']] },
      });
    });

    it('runs the SLA sweeper every minute, and gauges, consolidation and a notifier pass on schedules', () => {
      const schedules = resourcesOfType(json, 'AWS::Scheduler::Schedule').map(([, r]) => ({
        rate: r.Properties?.ScheduleExpression,
        input: (propsOf(r).Target as { Input?: string }).Input,
        retries: (propsOf(r).Target as { RetryPolicy?: { MaximumRetryAttempts?: number } }).RetryPolicy
          ?.MaximumRetryAttempts,
      }));
      expect(schedules).toStrictEqual([
        { rate: 'rate(5 minutes)', input: '{"task":"notify"}', retries: 0 },
        { rate: 'rate(1 minute)', input: '{"task":"sweep"}', retries: 0 },
        { rate: 'rate(5 minutes)', input: '{"task":"gauges"}', retries: 0 },
        { rate: 'rate(5 minutes)', input: '{"task":"consolidate"}', retries: 0 },
      ]);
    });

    it('runs every function on Node.js 22, ARM64, traced, logging JSON to a log group with retention', () => {
      const functions = resourcesOfType(json, 'AWS::Lambda::Function');
      expect(functions).toHaveLength(5);
      for (const [, fn] of functions) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
        });
      }
      for (const [id, group] of resourcesOfType(json, 'AWS::Logs::LogGroup'))
        expect([id, group.Properties?.RetentionInDays]).toStrictEqual([id, 90]);
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: {
          'Fn::Join': [
            '',
            [
              '/aws/bedrock-agentcore/runtimes/',
              { 'Fn::GetAtt': [runtimeId(), 'AgentRuntimeId'] },
              '-DEFAULT',
            ],
          ],
        },
      });
      template.hasResourceProperties('AWS::Logs::DeliverySource', { LogType: 'TRACES' });
      template.hasResourceProperties('AWS::Logs::DeliveryDestination', { DeliveryDestinationType: 'XRAY' });
    });
  });

  describe('observability and cost', () => {
    it('alarms on function errors, agent errors, failed jobs, dead letters, SLA breaches, token spend and slow acks', () => {
      const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
      const described = alarms.map((a) => String(a.AlarmDescription)).sort();
      expect(described).toStrictEqual(
        [
          ...Array.from({ length: 5 }, () => 'SettleOps: function errors'),
          'SettleOps: messages in a dead-letter queue',
          'SettleOps: messages in a dead-letter queue',
          'SettleOps: agent runtime errors in 5 minutes',
          'SettleOps: Slack jobs failed or dropped by the worker',
          'SettleOps: SLA breaches',
          'SettleOps: estimated model spend above 20 USD in an hour',
          'SettleOps: Slack ack p99 above 2.5 s (Slack gives 3 s)',
        ].sort(),
      );
      for (const a of alarms)
        expect(a.AlarmActions).toStrictEqual([{ Ref: expect.stringMatching(/^ObservabilityAlerts/) }]);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'EstimatedCostUsd',
        Namespace: 'SettleOps',
        Period: 3600,
        Threshold: 20,
      });
    });

    it('draws the operations dashboard', () => {
      const body = JSON.stringify(
        resourcesOfType(json, 'AWS::CloudWatch::Dashboard')[0]?.[1].Properties?.DashboardBody,
      );
      for (const title of [
        'Questions answered',
        'Tokens (input, output)',
        'Tool calls and breaker trips',
        'Match rate (%)',
        'Open exceptions',
        'SLA breaches and warnings',
        'Slack ack latency (ms)',
        'Job queue and dead letters',
        'Tokens and estimated cost per session',
      ])
        expect(body).toContain(title);
    });

    it('turns the JSON log lines into the metrics', () => {
      const filters = resourcesOfType(json, 'AWS::Logs::MetricFilter').map(([, f]) => {
        const t = (propsOf(f).MetricTransformations as Array<{ MetricName: string; MetricValue: string }>)[0];
        return `${t?.MetricName} ${f.Properties?.FilterPattern} ${t?.MetricValue}`;
      });
      expect(filters).toContain('QuestionsAnswered { $.msg = "answered" } 1');
      expect(filters).toContain('EstimatedCostUsd { $.msg = "trace recorded" } $.estimatedCostUsd');
      expect(filters).toContain('SlaBreaches { $.msg = "sla swept" } $.breached');
      expect(filters).toContain('MatchRate { $.msg = "settlement gauges" } $.matchRate');
    });

    it('has a monthly budget notifying at 80 % and 100 %', () => {
      template.hasResourceProperties('AWS::Budgets::Budget', {
        Budget: {
          BudgetType: 'COST',
          TimeUnit: 'MONTHLY',
          BudgetLimit: { Amount: { Ref: 'MonthlyBudgetUsd' }, Unit: 'USD' },
        },
        NotificationsWithSubscribers: [80, 100].map((threshold) => ({
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: threshold,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [
            { SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('^ObservabilityAlerts') } },
            { SubscriptionType: 'EMAIL', Address: { Ref: 'AlertEmail' } },
          ],
        })),
      });
    });
  });
});

describe('modelResourceArns', () => {
  it('names a foundation model in its region, and an inference profile with its model in any region', () => {
    const arns = (id: string) =>
      modelResourceArns(id, 'us-east-1').map((a) => a.replace(/\$\{Token\[[^\]]+\]\}/g, 'T'));
    expect(arns('anthropic.claude-3-5-haiku-20241022-v1:0')).toStrictEqual([
      'arn:T:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
    ]);
    expect(arns('eu.amazon.nova-pro-v1:0')).toStrictEqual([
      'arn:T:bedrock:us-east-1:T:inference-profile/eu.amazon.nova-pro-v1:0',
      'arn:T:bedrock:*::foundation-model/amazon.nova-pro-v1:0',
    ]);
  });
});
