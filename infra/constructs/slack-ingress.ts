import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ServiceFunction } from './service-function.ts';

/** An answer can take the agent a minute or two; the worker's timeout leaves room for that. */
export const WORKER_TIMEOUT = Duration.minutes(3);
/** Deliveries of one job before it goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 3;

export interface SlackIngressProps {
  readonly projectRoot: string;
  /** Environment shared by both functions (the core configuration, the Slack secrets' ARNs, the channel). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly removal: 'retain' | 'destroy';
}

/**
 * Slack's way in, split as the bot is locally: the ingress function behind a Function URL (Bolt's
 * AWS Lambda receiver: verify the signature, ack, enqueue) and the worker on an SQS FIFO queue (one
 * message group per conversation, deduplicated by Slack delivery key), with a FIFO dead-letter queue
 * after three failed deliveries.
 */
export class SlackIngress extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly ingress: ServiceFunction;
  readonly worker: ServiceFunction;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: SlackIngressProps) {
    super(scope, id);
    const removalPolicy = props.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.queue = new sqs.Queue(this, 'Jobs', {
      fifo: true,
      // Deduplicated by the id the producer gives (the Slack delivery key), not by content.
      contentBasedDeduplication: false,
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a queue feeding Lambda: six times the function's timeout.
      visibilityTimeout: Duration.seconds(WORKER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy,
    });

    this.ingress = new ServiceFunction(this, 'Ingress', {
      entry: 'slack-ingress',
      description: 'SettleOps Slack ingress: verify, ack, enqueue',
      projectRoot: props.projectRoot,
      environment: { ...props.environment, SETTLEOPS_JOB_QUEUE_URL: this.queue.queueUrl },
      // Slack wants an answer within 3 seconds; a cold start reads two secrets first.
      timeout: Duration.seconds(10),
      memorySize: 1024,
      logRetention: props.logRetention,
      removal: props.removal,
    });
    this.ingress.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EnqueueJobs',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
    // Slack cannot sign with SigV4: the function verifies Slack's own request signature instead.
    this.url = this.ingress.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    this.worker = new ServiceFunction(this, 'Worker', {
      entry: 'slack-worker',
      description: 'SettleOps Slack worker: answers, decisions, reports, memory',
      projectRoot: props.projectRoot,
      environment: props.environment,
      timeout: WORKER_TIMEOUT,
      memorySize: 1024,
      logRetention: props.logRetention,
      removal: props.removal,
    });
    // The event source grants the worker receive, delete and visibility changes on this queue.
    this.worker.fn.addEventSource(
      new sources.SqsEventSource(this.queue, {
        // One job per invocation: Lambda then runs one per message group in parallel, and a slow
        // answer holds up only its own conversation.
        batchSize: 1,
        reportBatchItemFailures: true,
      }),
    );
  }
}
