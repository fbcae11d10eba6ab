import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './settings.ts';
import { SettleOpsStack } from './settleops-stack.ts';

/** The repository root: the Dockerfile, src/ (bundled into the functions) and package-lock.json. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The CDK app: one stack (`-c stackName=…`, default SettleOps) checked by cdk-nag's AwsSolutions rules
 * on every synth. Environment-agnostic: `cdk deploy` targets the account and region of the credentials.
 */
export function buildApp(
  options: { readonly context?: Record<string, unknown>; readonly nag?: boolean } = {},
): { app: App; stack: SettleOpsStack } {
  const app = new App({ context: options.context ?? {} });
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'SettleOps';
  const stack = new SettleOpsStack(app, stackName, {
    settings,
    projectRoot: PROJECT_ROOT,
    description: 'SettleOps: settlement operations chat-ops on DynamoDB, Lambda, SQS and Bedrock AgentCore',
  });
  // Tests run the pack themselves (`validateScope`) and assert on its report.
  if (options.nag !== false) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildApp().app.synth();
}
