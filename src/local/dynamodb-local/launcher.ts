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

/** The only origin the engine's CORS allows: a reserved name no web page can have. */
export const NO_BROWSER_ORIGIN = 'https://settleops.invalid';

/**
 * The guard (`node -e`, CommonJS, no dependencies): starts the command it is given, announces the
 * engine's pid on its first stdout line, stops the engine (SIGTERM, then SIGKILL after 5 s) when its
 * standard input ends — its owner has gone — or when it is sent SIGTERM or SIGHUP, and exits with it.
 */
const ENGINE_GUARD = `
const { spawn } = require('node:child_process');
const [command, ...args] = process.argv.slice(1);
const engine = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
process.stdout.write('engine-pid ' + engine.pid + '\\n');
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  engine.kill('SIGTERM');
  setTimeout(() => engine.kill('SIGKILL'), 5000).unref();
};
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
process.on('SIGINT', () => {});
engine.on('error', (error) => { console.error(String(error)); process.exit(127); });
engine.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
`;

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
    // The default is `*`: any web page open in the user's browser could call the engine. `.invalid`
    // never resolves, so no page's origin is ever allowed.
    '-cors',
    NO_BROWSER_ORIGIN,
  ];
  if (options.storage.kind === 'memory') {
    args.push('-inMemory');
  } else {
    await mkdir(options.storage.dir, { recursive: true });
    args.push('-dbPath', options.storage.dir);
  }

  // The engine runs under a small guard process (ENGINE_GUARD) whose standard input is a pipe from
  // us: when this process ends in any way — a normal close, Ctrl-C, SIGTERM, SIGHUP, kill -9 — the
  // pipe closes and the guard stops the engine, so no engine outlives its owner. Guard and engine get
  // their own process group: Ctrl-C in a terminal reaches only us, and we stop the engine after the
  // requests in flight have finished (otherwise it would die first and they would fail).
  const child = spawn(process.execPath, ['-e', ENGINE_GUARD, '--', 'java', ...args], {
    cwd: options.engineDir,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let enginePid = 0;
  const keep = (chunk: Buffer) => {
    let text = chunk.toString();
    const announced = /^engine-pid (\d+)\n/.exec(text);
    if (enginePid === 0 && announced !== null) {
      enginePid = Number(announced[1]);
      text = text.slice(announced[0].length);
    }
    output = (output + text).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Never written to: it exists to close when we go.
  child.stdin?.on('error', () => {});

  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
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
    pid: enginePid,
    stop: () => stopGuarded(child, () => exited !== undefined, enginePid),
  };
}

/** Asks the guard to stop the engine; past 8 s (the guard kills the engine at 5 s) kills both. */
async function stopGuarded(child: ChildProcess, hasExited: () => boolean, enginePid: number): Promise<void> {
  if (hasExited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
    if (enginePid > 0) signal(enginePid, 'SIGKILL');
  }, 8_000);
  await done;
  clearTimeout(timer);
  child.stdin?.destroy();
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
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
