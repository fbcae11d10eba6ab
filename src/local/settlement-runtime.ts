import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { AuditDigestLog } from '../settlement/audit-digest.ts';
import { CalendarRegistry } from '../settlement/calendar.ts';
import type { ChainKey } from '../settlement/chain-key.ts';
import { buildMatchingPolicy } from '../settlement/matching/index.ts';
import { loadSlaPolicyConfig, readJsonFile } from '../settlement/policy-files.ts';
import type { SettlementDeps } from '../settlement/services/deps.ts';
import { SlaPolicy } from '../settlement/sla-policy.ts';
import { createDynamoDbClients } from '../settlement/store/dynamodb-client.ts';
import { DynamoDbSettlementStore } from '../settlement/store/dynamodb-settlement-store.ts';
import { ensureTable } from '../settlement/store/table.ts';
import { auditDigestFile } from './audit-digest-file.ts';
import { openAuditKeyFile } from './audit-key-file.ts';
import { ensureDynamoDbLocal } from './dynamodb-local/artifact.ts';
import { accepts, startDynamoDbLocal } from './dynamodb-local/launcher.ts';

export interface SettlementRuntime {
  readonly deps: SettlementDeps;
  readonly store: DynamoDbSettlementStore;
  /** The audit key (signs every audit record) and the digest log, both outside the table. */
  readonly audit: { readonly chainKey: ChainKey; readonly digests: AuditDigestLog };
  /** Where DynamoDB is reached, and whether this process runs the embedded engine. */
  readonly dynamodb: {
    readonly endpoint: string | undefined;
    readonly embedded: 'owned' | 'shared' | 'none';
  };
  close(): Promise<void>;
}

export interface OpenOptions {
  readonly now?: () => Date;
  readonly log?: (message: string) => void;
  /** Keep the embedded engine running for other `settleops` commands to share (`settleops start`). */
  readonly share?: boolean;
}

/**
 * The composition root for the settlement core: picks the DynamoDB (configured endpoint, an
 * embedded engine another `settleops` process shares, or a new embedded one persisting under
 * SETTLEOPS_DATA_DIR), ensures the table, and builds the policies from configuration.
 */
export async function openSettlementRuntime(
  config: Config,
  options: OpenOptions = {},
): Promise<SettlementRuntime> {
  const log = options.log ?? (() => {});
  // Policies first: a bad configuration file fails before anything is started.
  const matching = buildMatchingPolicy(
    config.matching.profilePath === undefined ? {} : readJsonFile(config.matching.profilePath),
    config.matching.thresholds,
  );
  const calendars = new CalendarRegistry();
  const sla = new SlaPolicy(loadSlaPolicyConfig(config.slaPolicyPath), calendars);
  const chainKey = await openAuditKeyFile(config.dataDir);

  let endpoint = config.dynamodb.endpoint;
  let embedded: 'owned' | 'shared' | 'none' = 'none';
  let stopEngine = async () => {};
  const lockFile = join(config.dataDir, 'dynamodb-local.json');
  if (endpoint === undefined) {
    const shared = await sharedEngine(lockFile);
    if (shared !== undefined) {
      endpoint = shared;
      embedded = 'shared';
    } else {
      const engineDir = await ensureDynamoDbLocal(config.cacheDir, log);
      const engine = await startDynamoDbLocal({
        engineDir,
        storage: { kind: 'disk', dir: join(config.dataDir, 'dynamodb') },
      });
      endpoint = engine.endpoint;
      embedded = 'owned';
      if (options.share === true) {
        await mkdir(config.dataDir, { recursive: true });
        await writeFile(
          lockFile,
          JSON.stringify({ pid: process.pid, enginePid: engine.pid, endpoint, port: engine.port }),
        );
      }
      stopEngine = async () => {
        if (options.share === true) await rm(lockFile, { force: true });
        await engine.stop();
      };
    }
  }

  const isLocal = embedded !== 'none' || isLoopback(endpoint);
  const clients = createDynamoDbClients({ endpoint, region: config.dynamodb.region, local: isLocal });
  try {
    await ensureTable(clients.client, config.dynamodb.table);
  } catch (error) {
    await stopEngine();
    throw error;
  }
  const store = new DynamoDbSettlementStore(clients.doc, config.dynamodb.table, { chainKey });
  const audit = { chainKey, digests: auditDigestFile(config.dataDir) };
  return {
    deps: { store, now: options.now ?? (() => new Date()), matching, calendars, sla, audit },
    store,
    audit,
    dynamodb: { endpoint, embedded },
    close: async () => {
      clients.client.destroy();
      await stopEngine();
    },
  };
}

function isLoopback(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

/** The endpoint of an embedded engine a running `settleops start` shares, if it is alive. */
async function sharedEngine(lockFile: string): Promise<string | undefined> {
  let info: { pid?: unknown; enginePid?: unknown; endpoint?: unknown; port?: unknown };
  try {
    info = JSON.parse(await readFile(lockFile, 'utf8')) as typeof info;
  } catch {
    return undefined;
  }
  if (typeof info.pid !== 'number' || typeof info.endpoint !== 'string' || typeof info.port !== 'number')
    return undefined;
  if (!isAlive(info.pid)) {
    // The process that shared the engine is gone; an engine it left behind (killed with SIGKILL)
    // would hold the data directory's files: stop it before starting a new one.
    if (typeof info.enginePid === 'number' && info.enginePid > 0 && isAlive(info.enginePid)) {
      process.kill(info.enginePid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return undefined;
  }
  return (await accepts(info.port)) ? info.endpoint : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
