import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDynamoDbLocal } from './artifact.ts';
import { accepts, startDynamoDbLocal } from './launcher.ts';

/** AWS-style static credentials for the engine. */
export interface EngineCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The embedded DynamoDB Local of one data directory, as this process holds it. */
export interface EmbeddedEngine {
  readonly endpoint: string;
  /**
   * The data directory's own access key. DynamoDB Local keeps one database per access key and
   * region, so a client without this key — another host reaching the port — sees an empty database
   * of its own, never this one.
   */
  readonly credentials: EngineCredentials;
  /** `owned`: this process runs the engine; `shared`: a running `settleops start` does. */
  readonly mode: 'owned' | 'shared';
  close(): Promise<void>;
}

export interface EmbeddedEngineOptions {
  readonly dataDir: string;
  readonly cacheDir: string;
  /** Let other `settleops` processes use this engine while we run (`settleops start`). */
  readonly share: boolean;
  readonly log: (message: string) => void;
  /** How often to look again while another process holds the data directory. Default 250 ms. */
  readonly pollMs?: number;
}

/** What the lock file says about the process holding the data directory's engine. */
interface LockRecord {
  readonly ownerPid: number;
  readonly command: string;
  readonly share: boolean;
  readonly startedAt: number;
  readonly endpoint?: string;
  readonly port?: number;
  readonly enginePid?: number;
}

const LOCK_FILE = 'dynamodb-local.json';
const KEY_FILE = 'dynamodb-local.key';
/** An owner still starting its engine after this long is taken to have failed. */
const STARTING_TIMEOUT_MS = 120_000;

/**
 * Opens the data directory's embedded engine, one engine per directory at any time: the lock file
 * `dynamodb-local.json` (created exclusively) names the process that holds it. If a `settleops start`
 * holds it, we share its engine; if another command holds it, we wait — saying so once — until it
 * has finished; if its holder is gone (killed), its engine is stopped, after checking that the pid
 * really is this directory's DynamoDB Local, and we take over.
 */
export async function openEmbeddedEngine(options: EmbeddedEngineOptions): Promise<EmbeddedEngine> {
  await mkdir(options.dataDir, { recursive: true });
  const lockFile = join(options.dataDir, LOCK_FILE);
  const dbDir = join(options.dataDir, 'dynamodb');
  const credentials = await dataDirCredentials(options.dataDir, dbDir);
  let waitingSaid = false;
  for (;;) {
    const lock = await readLock(lockFile);
    if (lock === 'absent') {
      if (await tryCreateLock(lockFile, options.share)) break;
      continue;
    }
    if (lock === 'unreadable' || isStale(lock, dbDir)) {
      if (lock !== 'unreadable' && lock.enginePid !== undefined && isOurEngine(lock.enginePid, dbDir))
        await stopOrphan(lock.enginePid);
      await rm(lockFile, { force: true });
      continue;
    }
    if (lock.share && lock.endpoint !== undefined && lock.port !== undefined && (await accepts(lock.port))) {
      return { endpoint: lock.endpoint, credentials, mode: 'shared', close: async () => {} };
    }
    if (!waitingSaid) {
      options.log(
        `waiting: \`settleops ${lock.command}\` (pid ${lock.ownerPid}) is using the embedded database in ${options.dataDir}`,
      );
      waitingSaid = true;
    }
    await sleep(options.pollMs ?? 250);
  }

  try {
    const engineDir = await ensureDynamoDbLocal(options.cacheDir, options.log);
    const engine = await startDynamoDbLocal({ engineDir, storage: { kind: 'disk', dir: dbDir } });
    await writeLock(lockFile, {
      ownerPid: process.pid,
      command: commandLine(),
      share: options.share,
      startedAt: Date.now(),
      endpoint: engine.endpoint,
      port: engine.port,
      enginePid: engine.pid,
    });
    return {
      endpoint: engine.endpoint,
      credentials,
      mode: 'owned',
      close: async () => {
        await engine.stop();
        await releaseLock(lockFile);
      },
    };
  } catch (error) {
    await releaseLock(lockFile);
    throw error;
  }
}

/**
 * The data directory's access key, made on first use (mode 0600). A database written before there
 * was a key (under the shared key `local`) is renamed to the new key, so no data is left behind.
 */
async function dataDirCredentials(dataDir: string, dbDir: string): Promise<EngineCredentials> {
  const keyFile = join(dataDir, KEY_FILE);
  let key: string;
  try {
    key = (await readFile(keyFile, 'utf8')).trim();
  } catch {
    key = '';
  }
  if (!/^[A-Za-z0-9]{16,64}$/.test(key)) {
    // DynamoDB Local accepts access keys of letters and digits only.
    key = `SO${randomBytes(15).toString('hex').toUpperCase()}`;
    await writeFile(keyFile, `${key}\n`, { mode: 0o600 });
    const legacy = await readdir(dbDir).catch(() => [] as string[]);
    for (const file of legacy.filter((f) => /^local_.+\.db$/.test(f)))
      await rename(join(dbDir, file), join(dbDir, `${key}${file.slice('local'.length)}`));
  }
  return { accessKeyId: key, secretAccessKey: key };
}

async function readLock(file: string): Promise<LockRecord | 'absent' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return 'absent';
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>;
    if (typeof parsed.ownerPid !== 'number' || typeof parsed.startedAt !== 'number') return 'unreadable';
    return {
      ownerPid: parsed.ownerPid,
      command: typeof parsed.command === 'string' ? parsed.command : '?',
      share: parsed.share === true,
      startedAt: parsed.startedAt,
      ...(typeof parsed.endpoint === 'string' ? { endpoint: parsed.endpoint } : {}),
      ...(typeof parsed.port === 'number' ? { port: parsed.port } : {}),
      ...(typeof parsed.enginePid === 'number' ? { enginePid: parsed.enginePid } : {}),
    };
  } catch {
    // Written whole by an exclusive create or a rename, so a bad file is a damaged one, not a half-written one.
    return 'unreadable';
  }
}

async function tryCreateLock(file: string, share: boolean): Promise<boolean> {
  const record: LockRecord = { ownerPid: process.pid, command: commandLine(), share, startedAt: Date.now() };
  try {
    await writeFile(file, JSON.stringify(record), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function writeLock(file: string, record: LockRecord): Promise<void> {
  const staging = `${file}.${process.pid}`;
  await writeFile(staging, JSON.stringify(record));
  await rename(staging, file);
}

/** Removes the lock if it is still ours. */
async function releaseLock(file: string): Promise<void> {
  const lock = await readLock(file);
  if (lock !== 'absent' && lock !== 'unreadable' && lock.ownerPid === process.pid)
    await rm(file, { force: true });
}

/**
 * A lock whose holder is gone, whose engine is gone (the holder's pid may since have been given to an
 * unrelated process), or whose holder never finished starting its engine.
 */
function isStale(lock: LockRecord, dbDir: string): boolean {
  if (!isAlive(lock.ownerPid)) return true;
  if (lock.enginePid !== undefined) return !isOurEngine(lock.enginePid, dbDir);
  return Date.now() - lock.startedAt > STARTING_TIMEOUT_MS;
}

function commandLine(): string {
  return process.argv.slice(2).join(' ').slice(0, 200) || 'settleops';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True only when `pid` is a DynamoDB Local serving `dbDir`: a lock file naming a pid the system has
 * since given to another process must never make us signal that process.
 */
export function isOurEngine(pid: number, dbDir: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid)) return false;
  let args: string;
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      args = execFileSync('ps', ['-p', String(pid), '-o', 'args='], { encoding: 'utf8' });
    } catch {
      return false;
    }
  }
  return args.includes('DynamoDBLocal.jar') && args.includes(dbDir);
}

async function stopOrphan(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 100) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
