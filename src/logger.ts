import type { Clock } from './clock.ts';

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Fields carried on a log line; `traceId` and `sessionId` are the ones every agent line should have. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * A structured logger: one JSON object per line with `time`, `level`, `msg` and the bound fields
 * (`traceId`, `sessionId`, …), which CloudWatch Logs and AgentCore Observability index as is.
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  readonly level?: LogLevel;
  /** Where lines go (default: stderr, so stdout stays for command output). */
  readonly write?: (line: string) => void;
  readonly now?: Clock;
  readonly fields?: LogFields;
}

export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const make = (bound: LogFields): Logger => {
    const log = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (RANK[level] < threshold) return;
      write(JSON.stringify({ time: now().toISOString(), level, msg, ...bound, ...fields }, errorReplacer));
    };
    return {
      debug: (msg, fields) => log('debug', msg, fields),
      info: (msg, fields) => log('info', msg, fields),
      warn: (msg, fields) => log('warn', msg, fields),
      error: (msg, fields) => log('error', msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/** Discards everything (tests, and commands whose output must stay clean). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

// Errors have no enumerable properties, so JSON.stringify would print `{}`.
function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
