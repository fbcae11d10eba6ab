import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { isConnectionError, UnreachableError } from '../errors.ts';
import { accepts, ensureDynamoDbLocal, isLoopbackUrl, startDynamoDbLocal } from '../local/index.ts';
import type { SettlementDeps } from '../settlement/index.ts';
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

  const clients = createDynamoDbClients({
    endpoint,
    region: config.dynamodb.region,
    local: embedded !== 'none' || isLoopbackUrl(endpoint),
  });
  try {
    await ensureTable(clients.client, config.dynamodb.table);
  } catch (error) {
    clients.client.destroy();
    await stopEngine();
    if (isConnectionError(error)) {
      throw new UnreachableError(
        `cannot reach DynamoDB at ${endpoint ?? `the ${config.dynamodb.region} regional endpoint`}` +
          ' (is it running? check DYNAMODB_ENDPOINT)',
        { cause: error },
      );
    }
    throw error;
  }
  const store = new DynamoDbSettlementStore(clients.doc, config.dynamodb.table);
  return {
    deps: { store, now: options.now ?? systemClock, matching, calendars, sla },
    store,
    doc: clients.doc,
    table: config.dynamodb.table,
    dynamodb: { endpoint, embedded },
    close: async () => {
      clients.client.destroy();
      await stopEngine();
    },
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
