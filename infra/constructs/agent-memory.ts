import { Aws } from 'aws-cdk-lib';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** What each SettleOps process sends to AgentCore Memory (src/memory/agentcore-*.ts). */
export const MEMORY_ACTIONS = {
  /** The agent runtime: session turns, retrieval, "remember that …". */
  runtime: [
    'bedrock-agentcore:BatchCreateMemoryRecords',
    'bedrock-agentcore:BatchDeleteMemoryRecords',
    'bedrock-agentcore:BatchUpdateMemoryRecords',
    'bedrock-agentcore:CreateEvent',
    'bedrock-agentcore:ListEvents',
    'bedrock-agentcore:ListMemoryRecords',
    'bedrock-agentcore:RetrieveMemoryRecords',
  ],
  /** The Slack worker: `/settle-memory` lists facts, Forget deletes them. */
  worker: ['bedrock-agentcore:BatchDeleteMemoryRecords', 'bedrock-agentcore:ListMemoryRecords'],
  /** Consolidation: reads finished sessions, writes and compacts facts. */
  consolidation: [
    'bedrock-agentcore:BatchCreateMemoryRecords',
    'bedrock-agentcore:BatchDeleteMemoryRecords',
    'bedrock-agentcore:BatchUpdateMemoryRecords',
    'bedrock-agentcore:ListEvents',
    'bedrock-agentcore:ListMemoryRecords',
  ],
} as const;

export interface AgentMemoryProps {
  readonly name: string;
  readonly eventExpiryDays: number;
  readonly key: kms.IKey;
}

/**
 * AgentCore Memory for session events and long-term facts (AGENTCORE_MEMORY_ID), encrypted with the data
 * key. No memory strategies: long-term records are written only by SettleOps's explicit consolidation
 * (BatchCreateMemoryRecords), never extracted automatically.
 */
export class AgentMemory extends Construct {
  readonly memoryId: string;
  readonly memoryArn: string;
  readonly #key: kms.IKey;

  constructor(scope: Construct, id: string, props: AgentMemoryProps) {
    super(scope, id);
    const memory = new agentcore.CfnMemory(this, 'Memory', {
      name: props.name,
      description: 'SettleOps sessions and explicitly consolidated facts',
      eventExpiryDuration: props.eventExpiryDays,
      encryptionKeyArn: props.key.keyArn,
    });
    this.memoryId = memory.attrMemoryId;
    this.memoryArn = memory.attrMemoryArn;
    this.#key = props.key;
  }

  grant(grantee: iam.IGrantable, actions: readonly string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'SettleOpsMemory', actions: [...actions], resources: [this.memoryArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SettleOpsMemoryKey',
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        resources: [this.#key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `bedrock-agentcore.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}
