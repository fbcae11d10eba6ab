import type { z } from 'zod';
import { DECIMAL_STRING, scaleOf, TradeFields, TradeInput } from '../settlement/index.ts';
import { printable } from '../text/index.ts';
import { readCsvRecords } from './csv-records.ts';
import {
  ALL_COLUMNS,
  columnOfField,
  DECIMAL_COLUMNS,
  isTradeColumn,
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  TRADE_COLUMNS,
  type TradeColumn,
} from './trade-columns.ts';

/**
 * Trade files: CSV (header row, RFC 4180 quoting), JSON (an array of objects) and NDJSON (one object
 * per line), all with the snake_case column names of `TRADE_COLUMNS`. Every record is validated with
 * the `TradeInput` schema; a record with any bad field is reported, field by field, and left out.
 *
 * Where a record is:
 * - CSV: `line` is the physical line the record starts on (the header is line 1; line breaks inside
 *   quoted values count, CRLF counts once).
 * - NDJSON: `line` is the physical line.
 * - JSON: `line` is the 1-based index of the element in the array, reported as `record N`
 *   (`ParseResult.unit` is `'record'`).
 * - `line` 0: the file as a whole (not valid UTF-8, not valid JSON, empty), reported as `file`.
 *
 * Decimal fields (`quantity`, `price`, `net_amount`) must be plain decimal strings: no exponent, no
 * thousands separator or decimal comma, no sign, at most 12 decimals (more is the mark of a binary float
 * printed in full, e.g. `0.30000000000000004`). In JSON they must be strings, because a JSON number has
 * already been through a binary float by the time it is parsed; the one exception is `quantity` given
 * as a whole JSON number, which is exact up to 2^53 and taken as its integer value.
 *
 * Surrounding whitespace of every value is ignored; an empty value of an optional column means absent.
 * Enumerations and codes are case-sensitive (`BUY`, `USD`), and the error says what is expected.
 *
 * The same `trade_id` and `source` twice in one file: an identical repeat is read once (listed in
 * `duplicates`); a repeat with different values is rejected, and the first occurrence kept.
 */
export type TradeFileFormat = 'csv' | 'json' | 'ndjson';

export interface ParsedRow {
  /** Where the record is: see `ParseResult.unit`. */
  readonly line: number;
  readonly input: TradeInput;
}

export interface RowError {
  /** Where the record is (see `ParseResult.unit`); 0 for the file as a whole. */
  readonly line: number;
  /** The file's column name (`trade_date`), or `header`, `row`, `json`, `record`, `file`, `encoding`. */
  readonly field: string;
  readonly reason: string;
}

export interface DuplicateRow {
  readonly line: number;
  /** Where the identical record read instead was. */
  readonly duplicateOf: number;
}

export interface ParseResult {
  readonly format: TradeFileFormat;
  /** How `line` reads: a physical line (CSV, NDJSON) or a 1-based array index (JSON). */
  readonly unit: 'line' | 'record';
  readonly rows: ParsedRow[];
  readonly errors: RowError[];
  /** Records read, valid or not (blank lines not counted). */
  readonly total: number;
  /** Identical repeats of an earlier record, read once. */
  readonly duplicates: DuplicateRow[];
}

/**
 * `line 7: price: …`, `record 3: price: …` or `file: json: …`. Field names and reasons can quote the
 * file (an unknown column's name): control characters are shown escaped, never sent to the terminal.
 */
export function formatRowError(error: RowError, unit: 'line' | 'record' = 'line'): string {
  const where = error.line === 0 ? 'file' : `${unit} ${error.line}`;
  return printable(`${where}: ${error.field}: ${error.reason}`);
}

/** Every error of a result, formatted with the result's unit. */
export function formatParseErrors(result: ParseResult): string[] {
  return result.errors.map((e) => formatRowError(e, result.unit));
}

const MAX_DECIMALS = 12;

/** Parses a trade file. Never throws on bad content: everything wrong is in `errors`. */
export function parseTradeFile(content: string | Uint8Array, format: TradeFileFormat): ParseResult {
  const unit = format === 'json' ? 'record' : 'line';
  const collector = new Collector(format, unit);
  const text = decode(content);
  if (text === undefined) {
    collector.fileError('encoding', 'is not valid UTF-8');
  } else if (text.trim() === '') {
    if (format === 'csv')
      collector.error(1, 'header', `is missing: the file is empty (expected ${ALL_COLUMNS.join(',')})`);
    else collector.fileError('file', 'is empty');
  } else if (format === 'csv') {
    parseCsv(text, collector);
  } else if (format === 'json') {
    parseJson(text, collector);
  } else {
    parseNdjson(text, collector);
  }
  return collector.result();
}

/** The format by file extension (`.csv`, `.json`, `.ndjson`, `.jsonl`), else by looking at the content. */
export function detectFormat(fileName: string, content: string | Uint8Array): TradeFileFormat {
  const ext = /\.([A-Za-z]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'json') return 'json';
  if (ext === 'ndjson' || ext === 'jsonl') return 'ndjson';
  const head = (
    typeof content === 'string' ? content.slice(0, 4096) : new TextDecoder().decode(content.subarray(0, 4096))
  )
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('[')) return 'json';
  if (head.startsWith('{')) return 'ndjson';
  return 'csv';
}

function decode(content: string | Uint8Array): string | undefined {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  try {
    // TextDecoder drops a UTF-8 BOM by default.
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return undefined;
  }
}

class Collector {
  readonly rows: ParsedRow[] = [];
  readonly errors: RowError[] = [];
  readonly duplicates: DuplicateRow[] = [];
  total = 0;
  readonly #seen = new Map<string, { line: number; input: TradeInput }>();

  constructor(
    readonly format: TradeFileFormat,
    readonly unit: 'line' | 'record',
  ) {}

  error(line: number, field: string, reason: string): void {
    this.errors.push({ line, field, reason });
  }

  fileError(field: string, reason: string): void {
    this.error(0, field, reason);
  }

  /** Validates one record's values (keyed by column name) and keeps it or reports it. */
  record(line: number, values: ReadonlyMap<string, unknown>, json: boolean): void {
    const outcome = validateRecord(values, json);
    if ('errors' in outcome) {
      for (const e of outcome.errors) this.error(line, e.field, e.reason);
      return;
    }
    const { input } = outcome;
    const key = `${input.source}\u0000${input.tradeId}`;
    const first = this.#seen.get(key);
    if (first === undefined) {
      this.#seen.set(key, { line, input });
      this.rows.push({ line, input });
      return;
    }
    const differing = differingColumns(first.input, input);
    if (differing.length === 0) {
      this.duplicates.push({ line, duplicateOf: first.line });
      return;
    }
    this.error(
      line,
      'trade_id',
      `repeats ${input.tradeId} (source ${input.source}) from ${this.unit} ${first.line} with different ${differing.join(', ')}; ` +
        'a file may hold each trade once',
    );
  }

  result(): ParseResult {
    return {
      format: this.format,
      unit: this.unit,
      rows: this.rows,
      errors: this.errors,
      total: this.total,
      duplicates: this.duplicates,
    };
  }
}

function parseCsv(text: string, out: Collector): void {
  const records = readCsvRecords(text);
  const headerRecord = records.find((r) => !('values' in r) || !isBlank(r.values));
  if (headerRecord === undefined) return;
  if (!('values' in headerRecord)) {
    out.error(headerRecord.line, 'header', headerRecord.error);
    return;
  }
  const header = headerRecord.values.map((h) => h.trim());
  if (!validHeader(header, headerRecord.line, out)) return;

  for (const record of records) {
    if (record === headerRecord) continue;
    if (!('values' in record)) {
      out.total++;
      out.error(record.line, 'row', record.error);
      continue;
    }
    if (isBlank(record.values)) continue;
    out.total++;
    if (record.values.length !== header.length) {
      out.error(
        record.line,
        'row',
        `has ${record.values.length} values, expected ${header.length} (one per header column)`,
      );
      continue;
    }
    const values = new Map<string, unknown>(header.map((column, k) => [column, record.values[k]]));
    out.record(record.line, values, false);
  }
}

function validHeader(header: string[], line: number, out: Collector): boolean {
  const before = out.errors.length;
  const unnamed = header.flatMap((h, k) => (h === '' ? [k + 1] : []));
  if (unnamed.length > 0) out.error(line, 'header', `column ${unnamed.join(', ')} has no name`);
  const unknown = header.filter((h) => h !== '' && !isTradeColumn(h));
  if (unknown.length > 0) {
    out.error(
      line,
      'header',
      `unknown ${plural(unknown.length, 'column')} ${unknown.join(', ')} (known: ${ALL_COLUMNS.join(', ')})`,
    );
  }
  const repeated = header.filter((h, k) => h !== '' && header.indexOf(h) !== k);
  const twice = [...new Set(repeated)];
  if (twice.length > 0) {
    out.error(
      line,
      'header',
      `${plural(twice.length, 'column')} ${twice.join(', ')} ${twice.length === 1 ? 'appears' : 'appear'} more than once`,
    );
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    out.error(line, 'header', `missing required ${plural(missing.length, 'column')} ${missing.join(', ')}`);
  return out.errors.length === before;
}

function parseJson(text: string, out: Collector): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    out.fileError('json', `is not valid JSON: ${describeJsonError(e, text)}`);
    return;
  }
  if (!Array.isArray(parsed)) {
    out.fileError('json', `must be an array of trade objects, got ${jsonType(parsed)}`);
    return;
  }
  parsed.forEach((element: unknown, k) => {
    out.total++;
    objectRecord(k + 1, element, out);
  });
}

function parseNdjson(text: string, out: Collector): void {
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, k) => {
    const line = k + 1;
    if (raw.trim() === '') return;
    out.total++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      out.error(line, 'json', `is not valid JSON: ${describeJsonError(e, raw)}`);
      return;
    }
    objectRecord(line, parsed, out);
  });
}

function objectRecord(line: number, element: unknown, out: Collector): void {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) {
    out.error(line, 'record', `must be an object of trade fields, got ${jsonType(element)}`);
    return;
  }
  out.record(line, new Map(Object.entries(element)), true);
}

type FieldError = { field: string; reason: string };

/**
 * Turns one record's raw values into a `TradeInput`, or the list of its bad fields (one entry per field).
 * Checks the file-format rules first (presence, JSON types, decimal notation), then the domain schema
 * for everything those did not already reject.
 */
function validateRecord(
  values: ReadonlyMap<string, unknown>,
  json: boolean,
): { input: TradeInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const candidate: Record<string, string> = {};

  for (const key of values.keys()) {
    if (!isTradeColumn(key))
      errors.push({ field: key, reason: `is not a known field (known: ${ALL_COLUMNS.join(', ')})` });
  }

  for (const [column, field] of TRADE_COLUMNS) {
    const checked = checkValue(column, values.get(column), json);
    if (typeof checked === 'object') errors.push({ field: column, reason: checked.reason });
    else if (checked !== undefined) candidate[field] = checked;
  }

  const parsed = TradeInput.safeParse(candidate, { error: domainMessage });
  if (parsed.success && errors.length === 0) return { input: parsed.data };
  if (!parsed.success) {
    const reported = new Set(errors.map((e) => e.field));
    for (const issue of parsed.error.issues) {
      const path = issue.path[0];
      // Unknown keys cannot reach the schema (the candidate holds known fields only).
      if (typeof path !== 'string') continue;
      const column = columnOfField(path);
      if (reported.has(column)) continue;
      reported.add(column);
      errors.push({ field: column, reason: withCaseHint(path, candidate[path], issue.message) });
    }
  }
  // Unknown fields first, then the file's canonical column order (sort is stable).
  return { errors: errors.sort((a, b) => columnIndex(a.field) - columnIndex(b.field)) };
}

function columnIndex(name: string): number {
  return isTradeColumn(name) ? ALL_COLUMNS.indexOf(name) : -1;
}

/**
 * The value to give the schema (a trimmed string), `undefined` when absent and allowed to be, or the
 * reason it is refused before the schema sees it.
 */
function checkValue(
  column: TradeColumn,
  raw: unknown,
  json: boolean,
): string | undefined | { reason: string } {
  const optional = OPTIONAL_COLUMNS.has(column);
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return optional ? undefined : { reason: 'is required' };
  }
  let value: string;
  if (typeof raw === 'string') {
    value = raw.trim();
  } else if (typeof raw === 'number' && json && column === 'quantity') {
    if (!Number.isSafeInteger(raw)) {
      return {
        reason:
          'must be a whole JSON number or a decimal string; a JSON number with a fraction (or beyond 2^53) has been ' +
          `through a binary float: quote it, e.g. "${raw}"`,
      };
    }
    value = String(raw);
  } else if (typeof raw === 'number' && json && DECIMAL_COLUMNS.has(column)) {
    return {
      reason: `must be a decimal string, e.g. "${raw}": a JSON number has been through a binary float, so quote it`,
    };
  } else {
    return { reason: `must be a string, got ${jsonType(raw)}` };
  }
  if (DECIMAL_COLUMNS.has(column)) {
    const refused = decimalNotationProblem(value);
    if (refused !== undefined) return { reason: refused };
  }
  return value;
}

/** The specific reason a decimal string is refused, for the notations people actually send. */
function decimalNotationProblem(value: string): string | undefined {
  if (/^[+-]?[\d.]*[eE][+-]?\d*$/.test(value) && /\d/.test(value)) {
    return 'uses exponent notation; write the plain decimal (1500000, not 1.5e6)';
  }
  if (value.includes(',')) {
    return 'contains a comma; write digits with a "." decimal point and no thousands separators (1000.50, not 1,000.50)';
  }
  if (value.startsWith('+')) return 'has a leading +; write the number without a sign';
  if (DECIMAL_STRING.test(value) && scaleOf(value) > MAX_DECIMALS) {
    return `has ${scaleOf(value)} decimals, more than ${MAX_DECIMALS} (a binary float printed in full?); send the exact decimal`;
  }
  return undefined;
}

/** Messages for schema issues that carry no message of their own in `model.ts`. */
function domainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_value':
      return `must be ${orList(issue.values.map(String))}`;
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be a ${issue.expected}`;
    case 'too_big':
      return issue.origin === 'string' ? `is longer than ${issue.maximum} characters` : undefined;
    case 'too_small':
      return issue.origin === 'string' ? `is shorter than ${issue.minimum} characters` : undefined;
    default:
      return undefined;
  }
}

const FIELD_SCHEMAS: Record<string, z.ZodType | undefined> = TradeFields.shape;

/** Adds `(got "buy"; values are upper case)` when the upper-cased value would have passed. */
function withCaseHint(field: string, value: string | undefined, message: string): string {
  const schema = FIELD_SCHEMAS[field];
  if (value === undefined || schema === undefined || field === 'note') return message;
  const upper = value.toUpperCase();
  if (upper === value || !schema.safeParse(upper).success) return message;
  return `${message} (got ${JSON.stringify(value)}; values are upper case)`;
}

function differingColumns(a: TradeInput, b: TradeInput): string[] {
  return TRADE_COLUMNS.filter(([, field]) => a[field] !== b[field]).map(([column]) => column);
}

function describeJsonError(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const at = /\s*in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (at === null) return message;
  const position = Number(at[1]);
  const before = text.slice(0, position);
  const line = before.split(/\r\n|\n|\r/).length;
  const column = position - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return `${message.replace(at[0], '')} at line ${line}, column ${column}`;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function isBlank(values: readonly string[]): boolean {
  return values.every((v) => v.trim() === '');
}

function orList(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' or ');
  return `one of ${items.join(', ')}`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
