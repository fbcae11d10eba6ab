import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../../../src/ingest/index.ts';

describe('readCsvRecords', () => {
  it('numbers records by the physical line they start on, for LF, CRLF and CR breaks', () => {
    expect(readCsvRecords('a,b\r\n"x\r\ny",2\rc,"d"\n\n"",\n')).toStrictEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['x\ny', '2'] },
      { line: 4, values: ['c', 'd'] },
      { line: 5, values: [''] },
      { line: 6, values: ['', ''] },
    ]);
  });

  it('keeps an empty last value and reads a file without a final line break', () => {
    expect(readCsvRecords('a,\nb,c')).toStrictEqual([
      { line: 1, values: ['a', ''] },
      { line: 2, values: ['b', 'c'] },
    ]);
  });

  it('drops whitespace around a quoted value and keeps it around an unquoted one', () => {
    expect(readCsvRecords(' "a" , b ')).toStrictEqual([{ line: 1, values: ['a', ' b '] }]);
  });

  it('confines a quoting error to its record and resumes on the next line', () => {
    expect(readCsvRecords('a"b,c\n"x"y,z\nok,1\n')).toStrictEqual([
      {
        line: 1,
        error: 'a quote inside an unquoted value (quote the whole value and write an inner quote as "")',
      },
      {
        line: 2,
        error: 'unexpected "y" after a closing quote (a quote inside a quoted value is written "")',
      },
      { line: 3, values: ['ok', '1'] },
    ]);
  });
});
