import { join } from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acceptFinding, findingRef } from '../nag.ts';

export interface ServiceFunctionProps {
  /** The composition root: `src/app/lambda/<entry>.ts`, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly projectRoot: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly reservedConcurrency?: number;
  readonly logRetention: logs.RetentionDays;
  readonly removal: 'retain' | 'destroy';
}

/**
 * One SettleOps process as a Lambda function: Node.js 22 on ARM64, bundled locally by esbuild (no
 * Docker) from the same sources `settleops start` runs, ESM with source maps, X-Ray tracing, JSON logs
 * in a log group of its own with retention, and a role of its own that can write only that group
 * (the constructs grant the rest).
 */
export class ServiceFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const removalPolicy = props.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'OwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    acceptFinding(
      this,
      `IAM5[Resource::${findingRef(this.logGroup.node.defaultChild as logs.CfnLogGroup, 'Arn')}:log-stream:*]`,
      "The function's streams in its own log group only.",
    );
    acceptFinding(
      this,
      'IAM5[Resource::*]',
      'X-Ray trace segments and telemetry take no resource-level permissions.',
    );
    acceptFinding(this, 'L1', 'Node.js 22 is the runtime the project targets and tests (the issue pins it).');
    this.fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(props.projectRoot, 'src/app/lambda', `${props.entry}.ts`),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        // Nothing is persisted on a function's disk: the audit key comes from KMS, the table from DynamoDB.
        SETTLEOPS_DATA_DIR: '/tmp/settleops',
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The SDK clients SettleOps pins are bundled, not the runtime's copy.
        bundleAwsSDK: true,
        // Some CommonJS dependencies call require() for Node built-ins.
        banner:
          "import { createRequire as __settleopsCreateRequire } from 'node:module'; const require = __settleopsCreateRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
  }
}
