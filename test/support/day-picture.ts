import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DayRecords } from '../../src/settlement/index.ts';
import type { TestTable } from './dynamodb.ts';

/** The environment that points the real `settleops` at a test table (no embedded engine). */
export function cliEnvFor(table: TestTable): Record<string, string> {
  return {
    DYNAMODB_ENDPOINT: table.endpoint,
    SETTLEOPS_TABLE: table.tableName,
    SETTLEOPS_DATA_DIR: join(tmpdir(), 'unused'),
  };
}

/**
 * Everything about a day that must come out the same whether or not a command was interrupted:
 * trades (status, version, still waiting), matches (status, confidence, decider), exceptions
 * (status, warned, breached) and instructions.
 */
export function dayPicture(day: DayRecords) {
  return {
    trades: day.trades
      .map((t) => `${t.source}#${t.tradeId}:${t.status}:${t.version}:${t.needsMatching}`)
      .sort(),
    matches: day.matches
      .map((m) => `${m.matchId}:${m.status}:${m.confidence}:${m.decision?.by ?? ''}`)
      .sort(),
    exceptions: day.exceptions
      .map((e) => `${e.exceptionId}:${e.status}:${e.warnedAt !== undefined}:${e.breachedAt !== undefined}`)
      .sort(),
    instructions: day.instructions.map((i) => i.instructionId).sort(),
  };
}
