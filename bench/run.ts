/**
 * `npm run bench`: every benchmark, each in a process of its own (so one's heap does not slow the
 * next), one after the other, never alongside the tests: they share this machine's cores.
 * Loopback only; data is generated, nothing is downloaded.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
const benches: ReadonlyArray<[title: string, file: string]> = [
  ['Ingest into DynamoDB Local (in memory, loopback)', 'bench/ingest.ts'],
  ['Matching in memory', 'bench/matching.ts'],
  ['Agents (offline planner latency, Bedrock request size)', 'bench/agents.ts'],
  ['Memory (what long-term memory retrieval adds to an offline answer)', 'bench/memory.ts'],
  ['Slack bot (ack latency, @mention to answer)', 'bench/slack.ts'],
  ['Cold start of the compiled command and the agent container', 'bench/cold-start.ts'],
];

console.log(
  `SettleOps benchmarks — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load ${loadavg()[0]?.toFixed(2)}`,
);
let failed = false;
for (const [title, file] of benches) {
  console.log(`\n## ${title}\n`);
  const run = spawnSync(process.execPath, [...process.execArgv, runTs, file], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
