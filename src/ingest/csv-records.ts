/**
 * An RFC 4180 reader that keeps what a trade file needs for its error messages: the physical line each
 * record starts on (CRLF, LF or CR line breaks; line breaks inside quoted values count), and a syntax
 * error confined to its own record so the rest of the file is still read.
 *
 * Values are returned as written, except that whitespace around a quoted value is dropped and line
 * breaks inside a quoted value are normalised to `\n`.
 */
export type CsvRecord =
  | { readonly line: number; readonly values: string[] }
  | { readonly line: number; readonly error: string };

export function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;

  /** Skips to just past the next line break; returns the index. */
  const skipLine = (from: number): number => {
    let j = from;
    while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
    return consumeBreak(j);
  };
  /** Consumes one line break at `j` (if there is one) and counts it. */
  const consumeBreak = (j: number): number => {
    if (text[j] === '\r') {
      line++;
      return text[j + 1] === '\n' ? j + 2 : j + 1;
    }
    if (text[j] === '\n') {
      line++;
      return j + 1;
    }
    return j;
  };

  while (i < n) {
    const start = line;
    const values: string[] = [];
    let error: string | undefined;

    for (;;) {
      let j = i;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (text[j] === '"') {
        const openLine = line;
        let value = '';
        j++;
        let closed = false;
        while (j < n) {
          const ch = text[j];
          if (ch === '"') {
            if (text[j + 1] === '"') {
              value += '"';
              j += 2;
              continue;
            }
            j++;
            closed = true;
            break;
          }
          if (ch === '\r' || ch === '\n') {
            value += '\n';
            j = consumeBreak(j);
            continue;
          }
          value += ch;
          j++;
        }
        if (!closed) {
          // Everything from here to the end of the file was taken into this one value: say how much,
          // so the summary's counts are not read as the whole file.
          const lastLine = text.endsWith('\n') || text.endsWith('\r') ? line - 1 : line;
          const lines = lastLine - openLine + 1;
          error =
            `a quoted value opened on line ${openLine} is never closed (a quote inside a quoted value is written ""): ` +
            (lines === 1
              ? 'the rest of that line was not read'
              : `it ran to the end of the file and consumed lines ${openLine}–${lastLine} (${lines} lines), none of which was read`);
          i = n;
          break;
        }
        while (text[j] === ' ' || text[j] === '\t') j++;
        values.push(value);
        if (text[j] === ',') {
          i = j + 1;
          continue;
        }
        if (j >= n || text[j] === '\n' || text[j] === '\r') {
          i = consumeBreak(j);
          break;
        }
        error = `unexpected ${JSON.stringify(text[j])} after a closing quote (a quote inside a quoted value is written "")`;
        i = skipLine(j);
        break;
      }

      let end = j;
      while (end < n && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
      const value = text.slice(i, end);
      if (value.includes('"')) {
        error = 'a quote inside an unquoted value (quote the whole value and write an inner quote as "")';
        i = skipLine(end);
        break;
      }
      values.push(value);
      if (text[end] === ',') {
        i = end + 1;
        continue;
      }
      i = consumeBreak(end);
      break;
    }

    records.push(error === undefined ? { line: start, values } : { line: start, error });
  }
  return records;
}
