import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { isConnectionError, UnreachableError } from '../errors.ts';
import { auditDigestFile, isLoopbackUrl, openAuditKeyFile, openEmbeddedEngine } from '../local/index.ts';
import type { AuditDigestLog, ChainKey, SettlementDeps } from '../settlement/index.ts';
import {
  buildMatchingPolicy,
  CalendarRegistry,
  createDynamoDbClients,
  DynamoDbSettlementStore,
  ensureTable,
  loadSlaPolicyConfig,
  readJsonFile,
  SlaPolicy,
} from '../settlement/index.ts';

/** The settlement core as one process has it: use-case deps over the chosen DynamoDB. */
export interface SettlementRuntime {
  readonly deps: SettlementDeps;
  readonly store: DynamoDbSettlementStore;
  /** The audit key (signs every audit record) and the digest log, both outside the table. */
  readonly audit: { readonly chainKey: ChainKey; readonly digests: AuditDigestLog };
  /** The one DynamoDB document client of this process (the trace store shares it). */
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  /** Where DynamoDB is reached, and whether this process runs the embedded engine. */
  readonly dynamodb: {
    readonly endpoint: string | undefined;
    readonly embedded: 'owned' | 'shared' | 'none';
  };
  close(): Promise<void>;
}

export interface OpenSettlementOptions {
  readonly now?: Clock;
  readonly log?: (message: string) => void;
  /** Keep the embedded engine running for other `settleops` commands to share (`settleops start`). */
  readonly share?: boolean;
}

/**
 * Puts the settlement core together: the policies from configuration (a bad file fails before
 * anything starts), the DynamoDB (DYNAMODB_ENDPOINT as is; else an embedded engine another
 * `settleops` process shares; else a new embedded DynamoDB Local persisting under SETTLEOPS_DATA_DIR),
 * its client (built once), the table, and the store adapter.
 */
export async function openSettlement(
  config: Config,
  options: OpenSettlementOptions = {},
): Promise<SettlementRuntime> {
  const log = options.log ?? (() => {});
  const matching = buildMatchingPolicy(
    config.matching.profilePath === undefined ? {} : readJsonFile(config.matching.profilePath),
    config.matching.thresholds,
  );
  const calendars = new CalendarRegistry();
  const sla = new SlaPolicy(loadSlaPolicyConfig(config.slaPolicyPath), calendars);
  const chainKey = await auditChainKey(config);

  const engine =
    config.dynamodb.endpoint === undefined
      ? await openEmbeddedEngine({
          dataDir: config.dataDir,
          cacheDir: config.cacheDir,
          share: options.share === true,
          log,
        })
      : undefined;
  const endpoint = engine?.endpoint ?? config.dynamodb.endpoint;
  const clients = createDynamoDbClients({
    endpoint,
    region: config.dynamodb.region,
    local: engine?.credentials ?? isLoopbackUrl(endpoint),
  });
  const close = async () => {
    clients.client.destroy();
    await engine?.close();
  };
  try {
    // A table provisioned by infrastructure is used as it is: no CreateTable, no UpdateTimeToLive.
    if (!config.dynamodb.provisioned) await ensureTable(clients.client, config.dynamodb.table);
  } catch (error) {
    await close();
    if (isConnectionError(error)) {
      throw new UnreachableError(
        `cannot reach DynamoDB at ${endpoint ?? `the ${config.dynamodb.region} regional endpoint`}` +
          ' (is it running? check DYNAMODB_ENDPOINT)',
        { cause: error },
      );
    }
    throw error;
  }
  const store = new DynamoDbSettlementStore(clients.doc, config.dynamodb.table, { chainKey });
  // A data directory from before the trade index gets its entries once (one GetItem when it has them).
  try {
    if (config.dynamodb.provisioned) {
      // Created empty by the stack for this version, so no trade predates the index (and no Scan).
      if (!(await store.markTradeIndexComplete('provisioned')))
        log(
          'the trade search index is from an older version: searches read day by day until it is backfilled',
        );
    } else {
      const backfilled = await store.backfillTradeIndex();
      if (backfilled > 0) log(`indexed ${backfilled} trades stored before the trade search index`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const audit = { chainKey, digests: auditDigestFile(config.dataDir) };
  return {
    deps: { store, now: options.now ?? systemClock, matching, calendars, sla, audit },
    store,
    audit,
    doc: clients.doc,
    table: config.dynamodb.table,
    dynamodb: { endpoint, embedded: engine?.mode ?? 'none' },
    close,
  };
}

/** Opens the settlement core for one command, runs it, and closes it (the embedded engine too). */
export async function withSettlement<T>(
  config: Config,
  run: (rt: SettlementRuntime) => Promise<T>,
): Promise<T> {
  const rt = await openSettlement(config, { log: (m) => console.error(m) });
  try {
    return await run(rt);
  } finally {
    await rt.close();
  }
}

/**
 * The key audit records are signed with: derived from the KMS key AUDIT_KMS_KEY_ID (the same in every
 * process of a deployment), or the data dir's key file on one machine.
 */
async function auditChainKey(config: Config): Promise<ChainKey> {
  const keyId = config.audit.kmsKeyId;
  if (keyId === undefined) return openAuditKeyFile(config.dataDir);
  // Loaded only here: a command on one machine never pays for the KMS client's modules.
  const [{ createKmsClient }, { kmsChainKey }] = await Promise.all([
    import('./aws-clients.ts'),
    import('./kms-chain-key.ts'),
  ]);
  const kms = createKmsClient({ region: config.dynamodb.region, endpoint: config.audit.kmsEndpoint });
  try {
    return await kmsChainKey(kms, keyId);
  } catch (error) {
    if (isConnectionError(error))
      throw new UnreachableError(`cannot reach KMS for the audit key ${keyId}`, { cause: error });
    throw error;
  } finally {
    kms.destroy();
  }
}
