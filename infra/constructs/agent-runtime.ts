import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { acceptFinding, findingRef } from '../nag.ts';

/** Idle sessions' microVMs stop after this (AgentCore's default, stated so a change is deliberate). */
export const IDLE_SESSION_TIMEOUT_SECONDS = 15 * 60;
/** A session's microVM never lives longer than this (AgentCore's maximum). */
export const MAX_SESSION_LIFETIME_SECONDS = 8 * 60 * 60;

export interface AgentRuntimeProps {
  /** `^[a-zA-Z][a-zA-Z0-9_]{0,47}$`. */
  readonly runtimeName: string;
  readonly workloadIdentityName: string;
  /** The repository root: the Dockerfile builds the image from the compiled output. */
  readonly projectRoot: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly removal: 'retain' | 'destroy';
}

/**
 * The agent on AgentCore Runtime: the root Dockerfile as an ARM64 image asset (built and pushed by
 * `cdk deploy`, never at synth), an execution role with nothing but what the container does, the
 * runtime (public network, HTTP protocol, IAM-authorised invocations, 15-minute idle timeout), its
 * log group with retention, trace delivery to X-Ray, and the workload identity whose user tokens the
 * runtime may obtain.
 */
export class AgentRuntime extends Construct {
  readonly role: iam.Role;
  readonly runtimeArn: string;
  readonly runtimeId: string;
  readonly logGroup: logs.LogGroup;
  readonly workloadIdentityName: string;
  readonly workloadIdentityArn: string;

  constructor(scope: Construct, id: string, props: AgentRuntimeProps) {
    super(scope, id);
    const image = new ecrAssets.DockerImageAsset(this, 'Image', {
      directory: props.projectRoot,
      file: 'Dockerfile',
      platform: ecrAssets.Platform.LINUX_ARM64,
      // On top of .dockerignore: files the image never reads, so editing them keeps its hash.
      exclude: ['*.md', 'slack', '.ci', 'biome.json', 'vitest.config.ts', 'cdk.json', 'cdk.context.json'],
    });

    const identity = new agentcore.CfnWorkloadIdentity(this, 'WorkloadIdentity', {
      name: props.workloadIdentityName,
    });
    this.workloadIdentityName = props.workloadIdentityName;
    this.workloadIdentityArn = identity.attrWorkloadIdentityArn;

    this.role = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('bedrock-agentcore.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:bedrock-agentcore:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`,
          },
        },
      }),
      description: 'SettleOps agent runtime: models, guardrail, table, memory, workload tokens',
    });
    image.repository.grantPull(this.role);
    acceptFinding(
      this.role,
      'IAM5[Resource::*]',
      'ecr:GetAuthorizationToken and X-Ray take no resource; PutMetricData is held to the bedrock-agentcore namespace.',
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Tracing',
        actions: [
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ],
        resources: ['*'],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RuntimeMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'bedrock-agentcore' } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WorkloadAccessToken',
        actions: ['bedrock-agentcore:GetWorkloadAccessTokenForUserId'],
        resources: [
          `arn:${Aws.PARTITION}:bedrock-agentcore:${Aws.REGION}:${Aws.ACCOUNT_ID}:workload-identity-directory/default`,
          this.workloadIdentityArn,
        ],
      }),
    );

    const runtime = new agentcore.CfnRuntime(this, 'Runtime', {
      agentRuntimeName: props.runtimeName,
      description: 'SettleOps agents: POST /invocations, GET /ping',
      agentRuntimeArtifact: { containerConfiguration: { containerUri: image.imageUri } },
      roleArn: this.role.roleArn,
      networkConfiguration: { networkMode: 'PUBLIC' },
      protocolConfiguration: 'HTTP',
      lifecycleConfiguration: {
        idleRuntimeSessionTimeout: IDLE_SESSION_TIMEOUT_SECONDS,
        maxLifetime: MAX_SESSION_LIFETIME_SECONDS,
      },
      environmentVariables: { ...props.environment },
    });
    // AgentCore checks at creation that the role can pull the image.
    runtime.node.addDependency(this.role);
    this.runtimeArn = runtime.attrAgentRuntimeArn;
    this.runtimeId = runtime.attrAgentRuntimeId;

    // The container's stdout/stderr land here. Created by the stack with a retention; the role may
    // write to it but not create log groups, so no group without retention can appear.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/bedrock-agentcore/runtimes/${this.runtimeId}-DEFAULT`,
      retention: props.logRetention,
      removalPolicy: props.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // A policy of its own: the role's default policy must exist before the runtime, this one after.
    new iam.Policy(this, 'LogsPolicy', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'RuntimeLogs',
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
        }),
      ],
    });
    acceptFinding(
      this,
      `IAM5[Resource::${findingRef(this.logGroup.node.defaultChild as logs.CfnLogGroup, 'Arn')}:log-stream:*]`,
      "The runtime's streams in its own log group only.",
    );
    this.#deliverTraces();
  }

  /** Grants invoking this runtime, as a given user too (`runtimeUserId`), and nothing else. */
  grantInvoke(grantee: iam.IRole): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeAgentRuntime',
        actions: ['bedrock-agentcore:InvokeAgentRuntime', 'bedrock-agentcore:InvokeAgentRuntimeForUser'],
        // The runtime and its endpoints (the DEFAULT endpoint is what `qualifier` defaults to).
        resources: [this.runtimeArn, `${this.runtimeArn}/runtime-endpoint/*`],
      }),
    );
    acceptFinding(
      grantee,
      `IAM5[Resource::${findingRef(this.node.findChild('Runtime') as agentcore.CfnRuntime, 'AgentRuntimeArn')}/runtime-endpoint/*]`,
      "This runtime's endpoints only (InvokeAgentRuntime authorises on the endpoint as well).",
    );
  }

  /** AgentCore's own spans of each invocation, delivered to X-Ray (the container sends its own too). */
  #deliverTraces(): void {
    const stack = Stack.of(this);
    const name = `${stack.stackName}-agent-traces`.slice(0, 60);
    const deliverySource = new logs.CfnDeliverySource(this, 'TracesSource', {
      name,
      logType: 'TRACES',
      resourceArn: this.runtimeArn,
    });
    const policy = new xray.CfnResourcePolicy(this, 'TracesDeliveryPolicy', {
      policyName: name,
      policyDocument: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'LogsDeliveryToXRay',
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 'xray:PutTraceSegments',
            Resource: '*',
            Condition: {
              'ForAllValues:ArnLike': { 'logs:LogGeneratingResourceArns': [this.runtimeArn] },
              StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
              ArnLike: {
                'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:delivery-source:*`,
              },
            },
          },
        ],
      }),
    });
    const destination = new logs.CfnDeliveryDestination(this, 'TracesDestination', {
      name,
      deliveryDestinationType: 'XRAY',
    });
    destination.node.addDependency(policy);
    const delivery = new logs.CfnDelivery(this, 'TracesDelivery', {
      deliverySourceName: name,
      deliveryDestinationArn: destination.attrArn,
    });
    delivery.node.addDependency(deliverySource, destination);
  }
}
