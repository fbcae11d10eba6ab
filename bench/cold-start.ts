/**
 * Cold start of the compiled product, as a user meets it (each figure a whole new process):
 * - `settleops help` (goal ≤ 300 ms);
 * - `settleops trade ID` against a running `settleops start` sharing its embedded engine (goal ≤ 1 s);
 * - the AgentCore Runtime container (`node dist/app/agent-container.js`) from spawn to its first
 *   `GET /ping` answered 200.
 * Median, minimum and maximum of RUNS runs after one warm-up. Needs `npm run build` (npm ci does it).
 * Loopback only.
 *
 * Run: `npm run bench` (all benchmarks) or `node bin/run-ts.js bench/cold-start.ts`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUNS = 7;
const BIN = fileURLToPath(new URL('../bin/settleops.js', import.meta.url));
const CONTAINER = fileURLToPath(new URL('../dist/app/agent-container.js', import.meta.url));

function stats(ms: readonly number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)] ?? Number.NaN;
  return `median ${median.toFixed(0)} ms (min ${s[0]?.toFixed(0)}, max ${s.at(-1)?.toFixed(0)}, ${s.length} runs)`;
}

function timeCommand(args: readonly string[], env: Record<string, string>): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`settleops ${args.join(' ')} exited ${run.status}`);
  return ms;
}

function repeat(measure: () => number): number[] {
  measure();
  return Array.from({ length: RUNS }, measure);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function untilFile(path: string, has: (text: string) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (has(text)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${path} did not appear in time`);
}

async function containerToFirstPing(env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [CONTAINER], {
    env: { ...process.env, ...env, SETTLEOPS_AGENT_PORT: String(port), SETTLEOPS_LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/ping`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`the container exited ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await stop(child);
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

export async function runColdStartBench(): Promise<string> {
  const lines: string[] = [];
  const help = repeat(() => timeCommand(['help'], {}));
  lines.push(`settleops help: ${stats(help)} — goal ≤ 300 ms`);

  const dataDir = await mkdtemp(join(tmpdir(), 'settleops-cold-'));
  const env = { SETTLEOPS_DATA_DIR: dataDir, DYNAMODB_ENDPOINT: '' };
  // A small day played at once; the process stays up sharing its engine (as `npm start` does).
  const log = join(dataDir, 'start.log');
  const out = openSync(log, 'w');
  const start = spawn(process.execPath, [BIN, 'start', '--trades', '200', '--speed', '1000000'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  try {
    // Measured once the day is played and the engine idles, as a user meets it after `npm start`.
    await untilFile(log, (t) => t.includes('The day is done'), 300_000);
    const tradeId = 'T-10000';
    const trade = repeat(() => timeCommand(['trade', tradeId], env));
    lines.push(`settleops trade ${tradeId} against a running start: ${stats(trade)} — goal ≤ 1 s`);

    const lock = JSON.parse(await readFile(join(dataDir, 'dynamodb-local.json'), 'utf8')) as {
      endpoint: string;
    };
    const ping: number[] = [];
    // The container reaches DynamoDB as it does on AWS: through DYNAMODB_ENDPOINT.
    const containerEnv = { DYNAMODB_ENDPOINT: lock.endpoint };
    await containerToFirstPing(containerEnv);
    for (let i = 0; i < RUNS; i++) ping.push(await containerToFirstPing(containerEnv));
    lines.push(`agent container, spawn to first /ping 200: ${stats(ping)}`);
  } finally {
    await stop(start);
    await rm(dataDir, { recursive: true, force: true });
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await runColdStartBench());
}
