import type { Config } from '../../config.ts';
import { ensureDynamoDbLocal } from '../../local/index.ts';
import { args } from '../args.ts';

/** `settleops setup`: fetch and verify DynamoDB Local now rather than on first use. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  args(argv, {});
  await ensureDynamoDbLocal(config.cacheDir, (m) => console.log(m));
  console.log('DynamoDB Local is ready.');
  return 0;
}
