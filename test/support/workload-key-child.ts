// `node bin/run-ts.js test/support/workload-key-child.ts DATA_DIR START_AT_MS`: loads (or creates) the
// workload identity key once the clock reaches START_AT_MS, so sibling processes race for the file,
// and prints its thumbprint.
import { calculateJwkThumbprint } from 'jose';
import { loadOrCreateWorkloadIdentityKey } from '../../src/local/index.ts';

const [dataDir, startAt] = process.argv.slice(2);
if (dataDir === undefined || startAt === undefined) throw new Error('usage: DATA_DIR START_AT_MS');
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
// The thumbprint reads only the public members (kty, crv, x, y).
process.stdout.write(`${await calculateJwkThumbprint(await loadOrCreateWorkloadIdentityKey(dataDir))}\n`);
