import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acceptFinding, findingRef } from '../nag.ts';
import { ServiceFunction } from './service-function.ts';

/** The SLA sweeper runs every minute, as the issue asks (locally every SETTLEOPS_SWEEP_INTERVAL_SECONDS). */
export const SWEEP_RATE = Duration.minutes(1);
/** Settlement gauges (match rate, open exceptions) are read this often: a report reads the whole day. */
export const GAUGES_RATE = Duration.minutes(5);
/** Idle sessions are consolidated this often (a session is idle after SETTLEOPS_MEMORY_IDLE_MINUTES). */
export const CONSOLIDATION_RATE = Duration.minutes(5);
/** A notifier pass also runs on this schedule: alerts a failed pass left pending are not left waiting. */
export const NOTIFIER_SAFETY_RATE = Duration.minutes(5);

export interface BackgroundJobsProps {
  readonly projectRoot: string;
  readonly table: dynamodb.Table;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly removal: 'retain' | 'destroy';
}

/**
 * What `settleops start` runs in its background loop, as functions: the outbox notifier woken by the
 * table's stream (outbox items only), the SLA sweeper and the settlement gauges on EventBridge
 * Scheduler rates, and memory consolidation of idle sessions. Failed stream batches and failed
 * scheduled invocations end in a dead-letter queue.
 */
export class BackgroundJobs extends Construct {
  readonly notifier: ServiceFunction;
  readonly sweeper: ServiceFunction;
  readonly consolidation: ServiceFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedules: scheduler.Schedule[] = [];

  constructor(scope: Construct, id: string, props: BackgroundJobsProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acceptFinding(
      this.deadLetterQueue,
      'SQS3',
      'This queue is the dead-letter queue itself (stream and schedule failures), watched by an alarm.',
    );
    const common = {
      projectRoot: props.projectRoot,
      environment: props.environment,
      logRetention: props.logRetention,
      removal: props.removal,
    };

    this.notifier = new ServiceFunction(this, 'Notifier', {
      ...common,
      entry: 'notifier',
      description: 'SettleOps outbox notifier: posts and updates alerts in Slack',
      timeout: Duration.minutes(5),
      // One pass at a time: two concurrent passes could both post an alert before either records it.
      reservedConcurrency: 1,
    });
    this.notifier.fn.addEventSource(
      new sources.DynamoEventSource(props.table as dynamodb.ITable, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        retryAttempts: 3,
        onFailure: new sources.SqsDlq(this.deadLetterQueue),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { Keys: { pk: { S: [{ prefix: 'OUTBOX#' }] } } },
          }),
        ],
      }),
    );
    acceptFinding(this.notifier, 'IAM5[Resource::*]', 'dynamodb:ListStreams (read-only) takes no resource.');
    this.#every('NotifierPass', NOTIFIER_SAFETY_RATE, this.notifier, { task: 'notify' });

    this.sweeper = new ServiceFunction(this, 'Sweeper', {
      ...common,
      entry: 'sla-sweeper',
      description: 'SettleOps SLA sweeper and settlement gauges',
      timeout: Duration.seconds(55),
    });
    this.#every('SlaSweep', SWEEP_RATE, this.sweeper, { task: 'sweep' });
    this.#every('SettlementGauges', GAUGES_RATE, this.sweeper, { task: 'gauges' });

    this.consolidation = new ServiceFunction(this, 'Consolidation', {
      ...common,
      entry: 'consolidation',
      description: 'SettleOps memory consolidation of idle sessions',
      timeout: Duration.minutes(4),
    });
    this.#every('Consolidation', CONSOLIDATION_RATE, this.consolidation, { task: 'consolidate' });
  }

  #every(id: string, rate: Duration, target: ServiceFunction, input: Record<string, string>): void {
    // The scheduler's role (one per target function, made by CDK at stack level) may invoke that
    // function and its versions.
    acceptFinding(
      Stack.of(this),
      `IAM5[Resource::${findingRef(target.fn.node.defaultChild as lambda.CfnFunction, 'Arn')}:*]`,
      'EventBridge Scheduler invokes this function (any version) and nothing else.',
    );
    this.schedules.push(
      new scheduler.Schedule(this, `${id}Schedule`, {
        schedule: scheduler.ScheduleExpression.rate(rate),
        description: `SettleOps ${input.task ?? id}`,
        target: new targets.LambdaInvoke(target.fn, {
          input: scheduler.ScheduleTargetInput.fromObject(input),
          // The next run comes soon anyway: no retries piling up behind a slow one.
          retryAttempts: 0,
          deadLetterQueue: this.deadLetterQueue,
        }),
      }),
    );
  }
}
