import type { CfnElement } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Accepts one cdk-nag AwsSolutions finding on `scope` (and what it contains), with its reason. cdk-nag 3
 * records acknowledgements through CDK's own `Validations`; each finding (e.g. one wildcard resource)
 * is accepted on its own.
 */
export function acceptFinding(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

/** How cdk-nag names an attribute of a resource in a finding: `<LogicalId.Attr>`. */
export function findingRef(element: CfnElement, attribute: string): string {
  return `<${Stack.of(element).getLogicalId(element)}.${attribute}>`;
}
