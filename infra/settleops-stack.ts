import { Aws, CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { AgentMemory, MEMORY_ACTIONS } from './constructs/agent-memory.ts';
import { AgentRuntime } from './constructs/agent-runtime.ts';
import { BackgroundJobs } from './constructs/background-jobs.ts';
import { DataStore } from './constructs/data-store.ts';
import { SettleOpsGuardrail } from './constructs/guardrail.ts';
import { Observability } from './constructs/observability.ts';
import type { ServiceFunction } from './constructs/service-function.ts';
import { SlackIngress } from './constructs/slack-ingress.ts';
import { SlackSecrets } from './constructs/slack-secrets.ts';
import { modelResourceArns } from './model-arns.ts';
import { acceptFinding } from './nag.ts';
import type { Settings } from './settings.ts';

export interface SettleOpsStackProps extends StackProps {
  readonly settings: Settings;
  /** The repository root (Dockerfile, src/, package-lock.json). */
  readonly projectRoot: string;
}

/**
 * SettleOps on AWS: the table, the agent on AgentCore (Runtime, Memory, Identity, a guardrail), Slack
 * ingress and worker, the background jobs, and what watches them. Every process gets the configuration
 * contract of src/config.ts in its environment, never a secret value.
 */
export class SettleOpsStack extends Stack {
  readonly data: DataStore;
  readonly runtime: AgentRuntime;
  readonly slack: SlackIngress;
  readonly background: BackgroundJobs;

  constructor(scope: Construct, id: string, props: SettleOpsStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const alertChannel = new CfnParameter(this, 'SlackAlertChannel', {
      type: 'String',
      description: 'Slack channel id the alerts are posted to (C… or G…)',
      allowedPattern: '^[CG][A-Z0-9]{2,20}$',
    });
    const budgetAmount = new CfnParameter(this, 'MonthlyBudgetUsd', {
      type: 'Number',
      description: 'Monthly AWS cost budget in USD (notifications at 80 % and 100 %)',
      default: 200,
      minValue: 1,
    });
    const budgetEmail = new CfnParameter(this, 'AlertEmail', {
      type: 'String',
      description: 'E-mail address told about budget thresholds and alarms',
      allowedPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
    });

    const retention = settings.logRetentionDays as logs.RetentionDays;
    const removal = settings.removal;
    const name = this.stackName.replace(/[^A-Za-z0-9]/g, '');
    const bedrockRegion = settings.bedrockRegion ?? Aws.REGION;

    this.data = new DataStore(this, 'Data', { removal });
    const guardrail = new SettleOpsGuardrail(this, 'Guardrail', { name: `${name}-guardrail` });
    const memory = new AgentMemory(this, 'Memory', {
      name: `${name}_memory`.slice(0, 48),
      eventExpiryDays: settings.memoryEventExpiryDays,
      key: this.data.tableKey,
    });

    const models =
      settings.modelId === undefined
        ? {}
        : {
            BEDROCK_MODEL_ID: settings.modelId,
            ...(settings.fastModelId === undefined ? {} : { BEDROCK_FAST_MODEL_ID: settings.fastModelId }),
          };
    const core: Record<string, string> = {
      DYNAMODB_ENDPOINT: `https://dynamodb.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      SETTLEOPS_TABLE: this.data.table.tableName,
      SETTLEOPS_TABLE_PROVISIONED: 'true',
      AUDIT_KMS_KEY_ID: this.data.auditKey.keyArn,
      AGENTCORE_MEMORY_ID: memory.memoryId,
      BEDROCK_REGION: bedrockRegion,
      BEDROCK_GUARDRAIL_ID: guardrail.guardrailId,
      BEDROCK_GUARDRAIL_VERSION: guardrail.version,
      SETTLEOPS_LOG_LEVEL: 'info',
      ...models,
    };
    const grantModels = (grantee: iam.IRole) => {
      if (settings.modelId === undefined) return;
      const ids = [...new Set([settings.modelId, settings.fastModelId ?? settings.modelId])];
      for (const id of ids.filter((i) => modelResourceArns(i, bedrockRegion).length > 1)) {
        acceptFinding(
          grantee,
          `IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${id.replace(/^[a-z-]+\./, '')}]`,
          'A cross-region inference profile may route to its model in any of its regions; the model is named.',
        );
      }
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'InvokeModels',
          actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
          resources: ids.flatMap((modelId) => modelResourceArns(modelId, bedrockRegion)),
        }),
      );
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ApplyGuardrail',
          actions: ['bedrock:ApplyGuardrail'],
          resources: [guardrail.guardrailArn],
        }),
      );
    };
    const grantCore = (grantee: iam.IRole) => {
      this.data.grantData(grantee);
      this.data.grantAuditKey(grantee);
    };

    this.runtime = new AgentRuntime(this, 'Agent', {
      runtimeName: `${name}_agent`.slice(0, 48),
      workloadIdentityName: `${name}-agent-users`,
      projectRoot: props.projectRoot,
      environment: {
        ...core,
        AWS_REGION: Aws.REGION,
        WORKLOAD_IDENTITY_NAME: `${name}-agent-users`,
        SETTLEOPS_DATA_DIR: '/tmp/settleops',
      },
      logRetention: retention,
      removal,
    });
    grantCore(this.runtime.role);
    grantModels(this.runtime.role);
    memory.grant(this.runtime.role, MEMORY_ACTIONS.runtime);

    const secrets = new SlackSecrets(this, 'Slack', { removal });
    const slackEnv = {
      ...core,
      SLACK_SIGNING_SECRET_ARN: secrets.signingSecret.secretArn,
      SLACK_BOT_TOKEN_ARN: secrets.botToken.secretArn,
      SLACK_ALERT_CHANNEL: alertChannel.valueAsString,
    };
    this.slack = new SlackIngress(this, 'SlackBot', {
      projectRoot: props.projectRoot,
      environment: { ...slackEnv, AGENT_RUNTIME_ARN: this.runtime.runtimeArn },
      logRetention: retention,
      removal,
    });
    secrets.grantRead(this.slack.ingress.role, ['signingSecret', 'botToken']);
    // The delivery ledger (SLACKDELIVERY# items) is claimed at ingress; no audit key, no agent.
    this.data.grantData(this.slack.ingress.role);
    grantCore(this.slack.worker.role);
    secrets.grantRead(this.slack.worker.role, ['botToken']);
    memory.grant(this.slack.worker.role, MEMORY_ACTIONS.worker);
    this.runtime.grantInvoke(this.slack.worker.role);

    this.background = new BackgroundJobs(this, 'Background', {
      projectRoot: props.projectRoot,
      table: this.data.table,
      environment: slackEnv,
      logRetention: retention,
      removal,
    });
    for (const f of [this.background.notifier, this.background.sweeper, this.background.consolidation])
      grantCore(f.role);
    secrets.grantRead(this.background.notifier.role, ['botToken']);
    memory.grant(this.background.consolidation.role, MEMORY_ACTIONS.consolidation);
    grantModels(this.background.consolidation.role);

    const functions: ServiceFunction[] = [
      this.slack.ingress,
      this.slack.worker,
      this.background.notifier,
      this.background.sweeper,
      this.background.consolidation,
    ];
    const observability = new Observability(this, 'Observability', {
      dashboardName: `${name}-operations`,
      runtimeLogs: this.runtime.logGroup,
      sweeperLogs: this.background.sweeper.logGroup,
      workerLogs: this.slack.worker.logGroup,
      ingress: this.slack.ingress,
      functions,
      jobQueue: this.slack.queue,
      deadLetterQueues: [this.slack.deadLetterQueue, this.background.deadLetterQueue],
      hourlyTokenSpendAlarmUsd: settings.hourlyTokenSpendAlarmUsd,
      budgetAmountUsd: budgetAmount.valueAsNumber,
      budgetEmail: budgetEmail.valueAsString,
      removal,
    });

    new CfnOutput(this, 'SlackRequestUrl', {
      description: 'Request URL for Event Subscriptions, Interactivity and the slash commands',
      value: `${this.slack.url.url}slack/events`,
    });
    new CfnOutput(this, 'AgentRuntimeArn', { value: this.runtime.runtimeArn });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'AuditKeyArn', {
      description: 'AUDIT_KMS_KEY_ID for settleops commands run against this table',
      value: this.data.auditKey.keyArn,
    });
    new CfnOutput(this, 'SlackSigningSecretArn', { value: secrets.signingSecret.secretArn });
    new CfnOutput(this, 'SlackBotTokenArn', { value: secrets.botToken.secretArn });
    new CfnOutput(this, 'DashboardName', { value: observability.dashboard.dashboardName });
  }
}
