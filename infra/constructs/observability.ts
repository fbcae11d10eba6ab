import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function.ts';

/** Custom metrics, from the processes' JSON log lines through metric filters. */
export const METRIC_NAMESPACE = 'SettleOps';

export interface ObservabilityProps {
  readonly dashboardName: string;
  /** The agent runtime's log group ("answered", "trace recorded" lines). */
  readonly runtimeLogs: logs.ILogGroup;
  /** The sweeper's log group ("sla swept", "settlement gauges" lines). */
  readonly sweeperLogs: logs.ILogGroup;
  /** The worker's log group: a failed or unreadable job is an error line, not a function error. */
  readonly workerLogs: logs.ILogGroup;
  readonly ingress: ServiceFunction;
  readonly functions: readonly ServiceFunction[];
  readonly jobQueue: sqs.IQueue;
  readonly deadLetterQueues: readonly sqs.IQueue[];
  readonly hourlyTokenSpendAlarmUsd: number;
  /** Monthly budget (USD) and who is told at 80 % and 100 %. */
  readonly budgetAmountUsd: number;
  readonly budgetEmail: string;
  readonly removal: 'retain' | 'destroy';
}

/**
 * What the operators watch: metric filters over the structured logs, a dashboard (questions answered,
 * tokens and estimated cost, tool calls and breaker trips, match rate, open exceptions, SLA breaches,
 * Slack ack latency, queue and DLQ depth), alarms (function errors, agent errors, failed jobs, DLQ
 * depth, SLA breaches, token spend, slow acks) to an encrypted SNS topic, and a monthly AWS Budgets budget with
 * 80 % and 100 % notifications.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.topic = this.#alertTopic(props);
    const m = this.#metrics(props);

    const ackLatency = (stat: string) =>
      props.ingress.fn.metricDuration({ statistic: stat, period: Duration.minutes(5), label: `ack ${stat}` });
    const depth = (q: sqs.IQueue, label: string) =>
      q.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
        label,
      });

    for (const f of props.functions) {
      this.#alarm(
        `${f.node.id}Errors`,
        f.fn.metricErrors({ period: Duration.minutes(5) }),
        1,
        'function errors',
      );
    }
    props.deadLetterQueues.forEach((q, i) => {
      this.#alarm(`DeadLetters${i}`, depth(q, 'dead letters'), 1, 'messages in a dead-letter queue');
    });
    this.#alarm('AgentErrors', m.agentErrors, 5, 'agent runtime errors in 5 minutes');
    this.#alarm('JobErrors', m.jobErrors, 1, 'Slack jobs failed or dropped by the worker');
    this.#alarm('SlaBreaches', m.slaBreaches, 1, 'SLA breaches');
    this.#alarm(
      'TokenSpend',
      m.costUsd.with({ period: Duration.hours(1) }),
      props.hourlyTokenSpendAlarmUsd,
      `estimated model spend above ${props.hourlyTokenSpendAlarmUsd} USD in an hour`,
    );
    this.#alarm('SlowAcks', ackLatency('p99'), 2500, 'Slack ack p99 above 2.5 s (Slack gives 3 s)');

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(6),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    this.dashboard.addWidgets(
      graph('Questions answered', [m.answered]),
      graph('Tokens (input, output)', [m.inputTokens, m.outputTokens], [m.costUsd]),
      graph('Tool calls and breaker trips', [m.toolCalls], [m.breakerTrips]),
    );
    this.dashboard.addWidgets(
      graph('Match rate (%)', [m.matchRate]),
      graph('Open exceptions', [m.openExceptions]),
      graph('SLA breaches and warnings', [m.slaBreaches, m.slaWarnings]),
    );
    this.dashboard.addWidgets(
      graph('Slack ack latency (ms)', [ackLatency('p50'), ackLatency('p99')]),
      graph(
        'Job queue and dead letters',
        [depth(props.jobQueue, 'jobs waiting')],
        props.deadLetterQueues.map((q, i) => depth(q, `dead letters ${i}`)),
      ),
      new cloudwatch.LogQueryWidget({
        title: 'Tokens and estimated cost per session',
        logGroupNames: [props.runtimeLogs.logGroupName],
        queryLines: [
          'filter msg = "trace recorded"',
          'stats sum(totals.inputTokens) as input, sum(totals.outputTokens) as output, sum(estimatedCostUsd) as usd, count(*) as turns by sessionId',
          'sort usd desc',
          'limit 20',
        ],
        width: 8,
        height: 6,
      }),
    );

    this.#budget(props);
  }

  #alarm(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `SettleOps: ${description}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  #alertTopic(props: ObservabilityProps): sns.Topic {
    const key = new kms.Key(this, 'AlertsKey', {
      description: 'SettleOps alarm and budget notifications',
      enableKeyRotation: true,
      removalPolicy: props.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch alarms and AWS Budgets publish to the encrypted topic through this key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmAndBudgetPublishers',
        principals: [
          new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
          new iam.ServicePrincipal('budgets.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const topic = new sns.Topic(this, 'Alerts', { masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'BudgetsPublish',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    topic.addSubscription(new subscriptions.EmailSubscription(props.budgetEmail));
    return topic;
  }

  #metrics(props: ObservabilityProps) {
    const fromLog = (
      group: logs.ILogGroup,
      name: string,
      pattern: string,
      value: string,
      statistic = 'Sum',
    ): cloudwatch.Metric => {
      new logs.MetricFilter(this, `${name}Filter`, {
        logGroup: group,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: METRIC_NAMESPACE,
        metricName: name,
        metricValue: value,
      });
      return new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: name,
        statistic,
        period: Duration.minutes(5),
      });
    };
    const runtime = props.runtimeLogs;
    const trace = '{ $.msg = "trace recorded" }';
    const gauges = '{ $.msg = "settlement gauges" }';
    return {
      answered: fromLog(runtime, 'QuestionsAnswered', '{ $.msg = "answered" }', '1'),
      inputTokens: fromLog(runtime, 'InputTokens', trace, '$.totals.inputTokens'),
      outputTokens: fromLog(runtime, 'OutputTokens', trace, '$.totals.outputTokens'),
      costUsd: fromLog(runtime, 'EstimatedCostUsd', trace, '$.estimatedCostUsd'),
      toolCalls: fromLog(runtime, 'ToolCalls', trace, '$.toolCalls'),
      breakerTrips: fromLog(
        runtime,
        'BreakerTrips',
        '{ $.msg = "trace recorded" && $.stoppedBy = "circuit_open" }',
        '1',
      ),
      agentErrors: fromLog(runtime, 'AgentErrors', '{ $.level = "error" }', '1'),
      jobErrors: fromLog(props.workerLogs, 'JobErrors', '{ $.level = "error" }', '1'),
      slaBreaches: fromLog(props.sweeperLogs, 'SlaBreaches', '{ $.msg = "sla swept" }', '$.breached'),
      slaWarnings: fromLog(props.sweeperLogs, 'SlaWarnings', '{ $.msg = "sla swept" }', '$.warned'),
      matchRate: fromLog(props.sweeperLogs, 'MatchRate', gauges, '$.matchRate', 'Average'),
      openExceptions: fromLog(props.sweeperLogs, 'OpenExceptions', gauges, '$.openExceptions', 'Maximum'),
    };
  }

  #budget(props: ObservabilityProps): void {
    const subscribers = [
      { subscriptionType: 'SNS', address: this.topic.topicArn },
      { subscriptionType: 'EMAIL', address: props.budgetEmail },
    ];
    new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.budgetAmountUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [80, 100].map((threshold) => ({
        notification: {
          notificationType: 'ACTUAL',
          comparisonOperator: 'GREATER_THAN',
          threshold,
          thresholdType: 'PERCENTAGE',
        },
        subscribers,
      })),
    });
  }
}
