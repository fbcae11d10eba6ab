import { readFile } from 'node:fs/promises';
import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { checkPrincipalId } from '../../identity/index.ts';
import { detectFormat, formatParseErrors, parseTradeFile } from '../../ingest/index.ts';
import { ingestTrades } from '../../settlement/index.ts';
import { args, print } from '../args.ts';

/** `settleops ingest FILE`: store and match trades from a CSV, JSON or NDJSON file. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values, positionals } = args(
    argv,
    { json: { type: 'boolean' }, as: { type: 'string' }, progress: { type: 'boolean' } },
    1,
  );
  const file = positionals[0];
  if (file === undefined) throw new UsageError('ingest needs a FILE (CSV, JSON or NDJSON)');
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const parsed = parseTradeFile(content, detectFormat(file, content));
  const rejectedLines = new Set(parsed.errors.map((e) => e.line));
  const as = values.as === undefined ? undefined : checkPrincipalId(values.as);
  if (as !== undefined && !as.ok) throw new UsageError(`--as: principal id ${as.problem}`);
  const actor = as === undefined ? undefined : `principal:${as.principalId}`;
  const progress =
    values.progress === true || process.stderr.isTTY
      ? (phase: string, done: number, total: number) => process.stderr.write(`${phase} ${done}/${total}\n`)
      : undefined;
  return withSettlement(config, async (rt) => {
    const summary = await ingestTrades(rt.deps, parsed.rows, {
      ...(actor === undefined ? {} : { actor }),
      ...(progress === undefined ? {} : { onProgress: progress }),
    });
    const result = {
      file,
      format: parsed.format,
      ingested: summary.ingested,
      unchanged: summary.unchanged,
      amended: summary.amended,
      rejected: rejectedLines.size,
      conflicts: summary.conflicts,
      matching: summary.matching,
      errors: formatParseErrors(parsed),
    };
    print(values.json, result, () => {
      const m = summary.matching;
      return [
        ...result.errors,
        `${file}: ${result.ingested} ingested, ${result.unchanged} unchanged, ${result.amended} amended, ${result.rejected} rejected` +
          (result.conflicts > 0 ? `, ${result.conflicts} not written (concurrent changes; run again)` : ''),
        `matching: ${m.AUTO_MATCHED} auto-matched, ${m.PENDING_REVIEW} to review, ${m.EXCEPTION} exceptions, ${m.NO_CANDIDATE} awaiting a counterpart`,
      ].join('\n');
    });
    return result.rejected > 0 || result.conflicts > 0 ? 1 : 0;
  });
}
