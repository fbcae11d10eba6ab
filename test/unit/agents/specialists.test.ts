import { describe, expect, it } from 'vitest';
import { SPECIALISTS, TRADE_FILE_REFERENCE } from '../../../src/agents/agents.ts';
import { ALL_COLUMNS, OPTIONAL_COLUMNS } from '../../../src/ingest/index.ts';

describe('the ingestion specialist’s trade file reference', () => {
  it('names every column the loader reads, required or optional as the loader has it', () => {
    for (const column of ALL_COLUMNS) {
      const line = TRADE_FILE_REFERENCE.split('\n').find((l) => l.includes(column));
      expect(line, column).toBeDefined();
      expect(line, column).toContain(OPTIONAL_COLUMNS.has(column) ? '(optional)' : '(required)');
    }
    expect(SPECIALISTS.ingestion_help.instructions).toContain(TRADE_FILE_REFERENCE);
  });
});
