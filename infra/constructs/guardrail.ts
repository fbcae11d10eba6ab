import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import { Construct } from 'constructs';

/** PII the guardrail anonymises in answers (and blocks in questions where it is a credential). */
const ANONYMISED_PII = ['EMAIL', 'PHONE', 'NAME', 'ADDRESS', 'US_SOCIAL_SECURITY_NUMBER'] as const;
const BLOCKED_PII = [
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'PASSWORD',
  'CREDIT_DEBIT_CARD_NUMBER',
  'CREDIT_DEBIT_CARD_CVV',
  'PIN',
  'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  'SWIFT_CODE',
] as const;

/**
 * The Bedrock guardrail the Converse calls carry (BEDROCK_GUARDRAIL_ID / _VERSION): PII (credentials and
 * card or account numbers blocked, personal details anonymised), prompt attacks on input, and denied
 * topics (investment advice, market manipulation). The local screens still run in front of it.
 */
export class SettleOpsGuardrail extends Construct {
  readonly guardrailId: string;
  readonly guardrailArn: string;
  readonly version: string;

  constructor(scope: Construct, id: string, props: { readonly name: string }) {
    super(scope, id);
    const guardrail = new bedrock.CfnGuardrail(this, 'Guardrail', {
      name: props.name,
      description: 'SettleOps: PII, prompt attacks and topics outside settlement operations',
      blockedInputMessaging: 'SettleOps cannot take that request: it was blocked by policy.',
      blockedOutputsMessaging: 'SettleOps cannot show that answer: it was blocked by policy.',
      contentPolicyConfig: {
        filtersConfig: [
          // Prompt attacks are screened on input only (Bedrock requires NONE on output for this type).
          { type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' },
          { type: 'MISCONDUCT', inputStrength: 'MEDIUM', outputStrength: 'MEDIUM' },
        ],
      },
      sensitiveInformationPolicyConfig: {
        piiEntitiesConfig: [
          ...BLOCKED_PII.map((type) => ({ type, action: 'BLOCK' })),
          ...ANONYMISED_PII.map((type) => ({ type, action: 'ANONYMIZE' })),
        ],
      },
      topicPolicyConfig: {
        topicsConfig: [
          {
            name: 'InvestmentAdvice',
            type: 'DENY',
            definition:
              'Recommendations to buy, sell or hold securities, or opinions on what an investment will do.',
            examples: ['Should I buy more of this ISIN?', 'Will this stock go up tomorrow?'],
          },
          {
            name: 'MarketManipulation',
            type: 'DENY',
            definition:
              'Ways to move prices, hide trades from reporting, front-run clients or evade settlement controls.',
            examples: ['How do I book this so compliance does not see it?'],
          },
        ],
      },
    });
    const version = new bedrock.CfnGuardrailVersion(this, 'Version', {
      guardrailIdentifier: guardrail.attrGuardrailId,
      description: 'The version the agent runtime is wired to',
    });
    this.guardrailId = guardrail.attrGuardrailId;
    this.guardrailArn = guardrail.attrGuardrailArn;
    this.version = version.attrVersion;
  }
}
