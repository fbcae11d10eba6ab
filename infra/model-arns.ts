import { Aws } from 'aws-cdk-lib';

/** Cross-region inference profiles are model ids with a geography prefix (`us.anthropic…`). */
const PROFILE_PREFIX = /^(us|us-gov|eu|apac|ca|jp|au|global)\./;

/**
 * The resources `bedrock:InvokeModel` must name to call `modelId` from `region`: the foundation model
 * in that region; for an inference profile, the profile and its model in whichever region the profile
 * routes the call to (the region part of those ARNs is the only wildcard).
 */
export function modelResourceArns(modelId: string, region: string): string[] {
  if (modelId.startsWith('arn:')) return [modelId];
  const profile = PROFILE_PREFIX.exec(modelId);
  if (profile === null) return [`arn:${Aws.PARTITION}:bedrock:${region}::foundation-model/${modelId}`];
  return [
    `arn:${Aws.PARTITION}:bedrock:${region}:${Aws.ACCOUNT_ID}:inference-profile/${modelId}`,
    `arn:${Aws.PARTITION}:bedrock:*::foundation-model/${modelId.slice(profile[0].length)}`,
  ];
}
