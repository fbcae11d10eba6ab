import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { SettleOpsError } from '../../errors.ts';

export class JavaMissingError extends SettleOpsError {
  override readonly name = 'JavaMissingError';
  readonly code = 'JAVA_MISSING';
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or later and no `java` was found on PATH. Install Java 17+ ' +
        '(e.g. `apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`) or set ' +
        'DYNAMODB_ENDPOINT to a DynamoDB you already run.',
    );
  }
}

export class DynamoDbLocalStartError extends SettleOpsError {
  override readonly name = 'DynamoDbLocalStartError';
  readonly code = 'DYNAMODB_LOCAL_START';
}

export interface DynamoDbLocalOptions {
  /** Folder holding `DynamoDBLocal.jar` (see `ensureDynamoDbLocal`). */
  readonly engineDir: string;
  /** `memory` for tests; a folder to persist tables across restarts. */
  readonly storage: { readonly kind: 'memory' } | { readonly kind: 'disk'; readonly dir: string };
  /** A fixed port; a free loopback port is chosen when omitted. */
  readonly port?: number;
  readonly startTimeoutMs?: number;
}

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The engine's process id (recorded so a later run can stop an engine orphaned by a crash). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Checks that a Java runtime is on PATH; throws `JavaMissingError` otherwise. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) throw new JavaMissingError();
}

/** Starts AWS's DynamoDB Local engine and resolves once it accepts connections. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port ?? (await freePort());
  const args = [
    `-Djava.library.path=${join(options.engineDir, 'DynamoDBLocal_lib')}`,
    // The engine's writes are serialised on one busy thread (SQLite underneath). G1's concurrent
    // threads took CPU from it and from us; the throughput collector with a large young generation
    // (short-lived request garbage dies there) measured +4–18 % storing and −5–13 % matching time
    // on this project's 2-core machine (docs/benchmarks.md).
    '-XX:+UseParallelGC',
    '-Xms1g',
    '-Xmx1g',
    '-Xmn512m',
    '-jar',
    join(options.engineDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    // DynamoDB Local 1.24+ reports telemetry unless told not to; nothing here may leave the machine.
    '-disableTelemetry',
  ];
  if (options.storage.kind === 'memory') {
    args.push('-inMemory');
  } else {
    await mkdir(options.storage.dir, { recursive: true });
    args.push('-dbPath', options.storage.dir);
  }

  const child = spawn('java', args, {
    cwd: options.engineDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C in a terminal reaches only us, and we stop the engine after the
    // requests in flight have finished (otherwise it dies first and they fail).
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited: number | null | undefined;
  // If this process ends without stopping the engine (an uncaught error), take the engine with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', (code) => {
    exited = code;
    process.off('exit', killOnExit);
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!(await accepts(port))) {
    if (exited !== undefined) {
      throw new DynamoDbLocalStartError(
        `DynamoDB Local exited with code ${exited} while starting:\n${output}`,
      );
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new DynamoDbLocalStartError(`DynamoDB Local did not listen on port ${port} in time:\n${output}`);
    }
    await sleep(100);
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    stop: () => stopChild(child, () => exited !== undefined),
  };
}

async function stopChild(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (hasExited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await done;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on the loopback port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
