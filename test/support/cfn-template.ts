/** A synthesized CloudFormation template, as much of it as the infrastructure tests read. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, unknown>;
}

/** An IAM policy statement as synthesized (Action and Resource may be one value or a list). */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at. */
export function refOf(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const v = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
    if (typeof v.Ref === 'string') return v.Ref;
    if (Array.isArray(v['Fn::GetAtt']) && typeof v['Fn::GetAtt'][0] === 'string') return v['Fn::GetAtt'][0];
  }
  throw new Error(`not a reference: ${JSON.stringify(value)}`);
}

export function actionsOf(statement: PolicyStatement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

/** Every statement of every AWS::IAM::Policy, with the roles the policy is attached to. */
export function policyStatements(
  template: CfnTemplate,
): Array<{ readonly roles: string[]; readonly statement: PolicyStatement; readonly actions: string[] }> {
  return resourcesOfType(template, 'AWS::IAM::Policy').flatMap(([, policy]) => {
    const roles = ((policy.Properties?.Roles as unknown[]) ?? []).map(refOf);
    const doc = policy.Properties?.PolicyDocument as { Statement: PolicyStatement[] };
    return doc.Statement.map((statement) => ({ roles, statement, actions: actionsOf(statement) }));
  });
}

/** The statements of the policies attached to one role. */
export function rolePolicyStatements(template: CfnTemplate, roleId: string): PolicyStatement[] {
  return policyStatements(template)
    .filter((p) => p.roles.includes(roleId))
    .map((p) => p.statement);
}

/** The account's root principal, as CDK writes it into a KMS key policy. */
const ACCOUNT_ROOT = JSON.stringify({
  AWS: {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
  },
});

/**
 * Every action with a `*` allowed by any policy of the template — identity policies, key policies, topic,
 * queue and resource policies, trust policies — as `<logical id>: <action>`, except `kms:*` for the
 * account root in a key policy (the statement that lets the account's IAM manage the key at all).
 */
export function wildcardActions(template: CfnTemplate): string[] {
  const found: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    for (const [name, value] of Object.entries(resource.Properties ?? {})) {
      if (!/PolicyDocument$|^KeyPolicy$/.test(name)) continue;
      const doc = (typeof value === 'string' ? JSON.parse(value) : value) as {
        Statement?: PolicyStatement[];
      };
      for (const statement of doc.Statement ?? []) {
        // A Deny (e.g. of every action over plain HTTP) takes rights away; only what is allowed counts.
        if (statement.Effect !== 'Allow') continue;
        const accountRootKeyAdmin =
          resource.Type === 'AWS::KMS::Key' && JSON.stringify(statement.Principal) === ACCOUNT_ROOT;
        for (const action of actionsOf(statement)) {
          if (action.includes('*') && !(accountRootKeyAdmin && action === 'kms:*'))
            found.push(`${id}: ${action}`);
        }
      }
    }
  }
  return found;
}
