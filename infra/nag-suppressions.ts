import type { Stack } from 'aws-cdk-lib';

/** cdk-nag AwsSolutions findings accepted for this stack, each with its reason. */
export function addNagSuppressions(_stack: Stack): void {}
