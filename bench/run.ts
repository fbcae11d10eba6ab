/**
 * `npm run bench`: every benchmark, one after the other (never alongside the tests: they share
 * this machine's two cores). Loopback only; data is generated, nothing is downloaded.
 */
import { cpus, loadavg } from 'node:os';
import { runIngestBench } from './ingest.ts';
import { runMatchingBench } from './matching.ts';

console.log(
  `SettleOps benchmarks — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load ${loadavg()[0]?.toFixed(2)}\n`,
);
console.log(await runMatchingBench());
console.log('\nIngest into DynamoDB Local (in memory, loopback)');
console.log(await runIngestBench());
