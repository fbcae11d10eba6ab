import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acceptFinding, findingRef } from '../nag.ts';

/** The sparse global secondary indexes of src/settlement/store/table.ts (string keys `<index>Pk`/`<index>Sk`). */
export const TABLE_INDEXES = ['byBlock', 'byQueue', 'byDue', 'byDay'] as const;

/** TTL attribute of ephemeral items (epoch seconds), as src/settlement/store/table.ts names it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The DynamoDB actions SettleOps's adapters send (GetItem, Query, Put/Update/Delete, the batch and
 * transactional writes are authorised per item by these). No Scan (the backfill and the audit scan run
 * only from the CLI against a table the operator owns) and no table administration: the table is
 * provisioned here, so the processes neither create nor alter it (SETTLEOPS_TABLE_PROVISIONED).
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/** What DynamoDB needs from a caller's principal to use the table's customer-managed key on its behalf. */
export const TABLE_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
] as const;

export interface DataStoreProps {
  readonly removal: 'retain' | 'destroy';
}

/**
 * The one table every SettleOps process shares (settlement records, the Slack bot's state, the session
 * registry, traces; memory too when AgentCore Memory is not used), as src/settlement/store/table.ts
 * defines it: pk/sk, four sparse GSIs, TTL on `expiresAt`. On demand, point-in-time recovery, deletion
 * protection, a customer-managed key, and a stream (keys only) that wakes the outbox notifier. Also the
 * KMS HMAC key the audit chains' signing key is derived from (AUDIT_KMS_KEY_ID).
 */
export class DataStore extends Construct {
  readonly tableKey: kms.Key;
  readonly table: dynamodb.Table;
  readonly auditKey: kms.Key;

  constructor(scope: Construct, id: string, props: DataStoreProps) {
    super(scope, id);
    const removalPolicy = props.removal === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.tableKey = new kms.Key(this, 'TableKey', {
      description: 'SettleOps table, its stream and backups',
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removal === 'retain',
      timeToLiveAttribute: TTL_ATTRIBUTE,
      stream: dynamodb.StreamViewType.KEYS_ONLY,
      removalPolicy,
    });
    for (const indexName of TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: `${indexName}Pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `${indexName}Sk`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    this.auditKey = new kms.Key(this, 'AuditKey', {
      description: 'SettleOps audit chain key derivation (HMAC); processes hold GenerateMac only',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
  }

  /** Reads and writes items (no Scan, no administration), through the table's key. */
  grantData(grantee: iam.IRole): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SettleOpsTableData',
        actions: [...TABLE_DATA_ACTIONS],
        resources: [this.table.tableArn, `${this.table.tableArn}/index/*`],
      }),
    );
    this.#grantTableKey(grantee);
    acceptFinding(
      grantee,
      `IAM5[Resource::${findingRef(this.table.node.defaultChild as dynamodb.CfnTable, 'Arn')}/index/*]`,
      "This table's four indexes (byBlock, byQueue, byDue, byDay) only.",
    );
  }

  /** Derives the audit key: `kms:GenerateMac` on the HMAC key, nothing else. */
  grantAuditKey(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SettleOpsAuditKey',
        actions: ['kms:GenerateMac'],
        resources: [this.auditKey.keyArn],
      }),
    );
  }

  #grantTableKey(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SettleOpsTableKey',
        actions: [...TABLE_KEY_ACTIONS],
        resources: [this.tableKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}
