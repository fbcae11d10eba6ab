import { catalogForReview } from '../../agents/index.ts';
import { args, print } from '../args.ts';
import { formatCatalog } from '../format/catalog.ts';

/** `settleops tools`: the agent's tool catalog with its governance metadata (security review). */
export async function run(argv: readonly string[]): Promise<number> {
  const { values } = args(argv, { json: { type: 'boolean' } });
  const catalog = catalogForReview();
  print(values.json, catalog, () => formatCatalog(catalog));
  return 0;
}
