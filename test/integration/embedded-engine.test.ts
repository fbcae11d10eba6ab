import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ensureDynamoDbLocal } from '../../src/local/dynamodb-local/artifact.ts';
import { startDynamoDbLocal } from '../../src/local/dynamodb-local/launcher.ts';
import { isOurEngine, NO_BROWSER_ORIGIN, openEmbeddedEngine } from '../../src/local/index.ts';
import { createDynamoDbClients, ensureTable } from '../../src/settlement/index.ts';
import { runCli } from '../support/cli.ts';

/** A data directory of its own: these tests run the embedded engine, not the run's shared one. */
async function dataDir(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'settleops-engine-'));
  return { dir, env: { SETTLEOPS_DATA_DIR: dir, DYNAMODB_ENDPOINT: '' } };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

async function lockOf(dir: string): Promise<{ ownerPid?: number; enginePid?: number }> {
  try {
    return JSON.parse(await readFile(join(dir, 'dynamodb-local.json'), 'utf8')) as { enginePid?: number };
  } catch {
    return {};
  }
}

describe('the embedded engine never outlives its owner', () => {
  for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`stops when the command holding it gets ${signal}`, async () => {
      const { dir, env } = await dataDir();
      let child: ChildProcess | undefined;
      const run = runCli(['seed', '--trades', '3000'], env, (_line, c) => {
        child = c;
      });
      // The engine is up once the lock names it.
      const started = await until(async () => (await lockOf(dir)).enginePid !== undefined, 60_000);
      expect(started).toBe(true);
      const { enginePid, ownerPid } = await lockOf(dir);
      if (enginePid === undefined || ownerPid === undefined) throw new Error('no engine recorded');
      expect(isOurEngine(enginePid, join(dir, 'dynamodb'))).toBe(true);

      process.kill(ownerPid, signal);
      await run;

      expect(await until(() => !alive(enginePid), 10_000)).toBe(true);
      expect(child === undefined || child.exitCode !== 0).toBe(true);
    });
  }
});

describe('one engine per data directory', () => {
  it('lets a second command wait for the first, saying so, and both succeed', {
    timeout: 180_000,
  }, async () => {
    const { dir, env } = await dataDir();
    const first = runCli(['seed', '--trades', '150'], env);
    // The second asks once the first holds the directory.
    expect(await until(async () => (await lockOf(dir)).ownerPid !== undefined, 60_000)).toBe(true);
    const second = runCli(['report', '--json'], env);

    const [a, b] = await Promise.all([first, second]);

    expect([a.code, b.code]).toStrictEqual([0, 0]);
    expect(b.stderr).toContain('waiting: `settleops seed --trades 150`');
    expect(b.stderr).not.toContain('InternalFailure');
  });

  it('never signals a process a stale lock names that is not this directory’s engine', async () => {
    const { dir, env } = await dataDir();
    const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
    const pid = bystander.pid ?? 0;
    await writeFile(
      join(dir, 'dynamodb-local.json'),
      JSON.stringify({ ownerPid: 999_999_999, command: 'seed', share: false, startedAt: 0, enginePid: pid }),
    );
    try {
      const result = await runCli(['report', '--json'], env);

      expect(result.code).toBe(0);
      expect(alive(pid)).toBe(true);
    } finally {
      bystander.kill();
    }
  });
});

describe('the engine is closed to browsers and to clients without the data directory’s key', () => {
  it('answers a CORS preflight from any web page without allowing it', async () => {
    const { dir } = await dataDir();
    const engine = await openEmbeddedEngine({
      dataDir: dir,
      cacheDir: cacheDir(),
      share: false,
      log: () => {},
    });
    try {
      const response = await fetch(engine.endpoint, {
        method: 'OPTIONS',
        headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(NO_BROWSER_ORIGIN).toMatch(/\.invalid$/);
    } finally {
      await engine.close();
    }
  });

  it('shows its tables only to clients holding the key, and keeps a database written before keys', async () => {
    const { dir } = await dataDir();
    const open = () =>
      openEmbeddedEngine({ dataDir: dir, cacheDir: cacheDir(), share: false, log: () => {} });
    const tables = async (
      endpoint: string,
      local: true | { accessKeyId: string; secretAccessKey: string },
    ) => {
      const c = createDynamoDbClients({ endpoint, region: 'us-east-1', local });
      try {
        return (await c.client.send(new ListTablesCommand({}))).TableNames ?? [];
      } finally {
        c.client.destroy();
      }
    };
    // A database written before data directories had keys (under the shared key `local`).
    const legacy = await startDynamoDbLocal({
      engineDir: await ensureDynamoDbLocal(cacheDir()),
      storage: { kind: 'disk', dir: join(dir, 'dynamodb') },
    });
    const before = createDynamoDbClients({ endpoint: legacy.endpoint, region: 'us-east-1', local: true });
    await ensureTable(before.client, 'legacy');
    before.client.destroy();
    await legacy.stop();

    const engine = await open();
    try {
      const owner = createDynamoDbClients({
        endpoint: engine.endpoint,
        region: 'us-east-1',
        local: engine.credentials,
      });
      await ensureTable(owner.client, 'kept');
      owner.client.destroy();

      expect(await tables(engine.endpoint, engine.credentials)).toStrictEqual(['kept', 'legacy']);
      expect(await tables(engine.endpoint, true)).toStrictEqual([]);
    } finally {
      await engine.close();
    }
  });
});

function cacheDir(): string {
  return loadConfig().cacheDir;
}
