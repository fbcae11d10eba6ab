/**
 * SettleOps' error hierarchy. Every failure a user can act on (bad input, bad configuration, a
 * dependency that is missing or unreachable) is a `SettleOpsError` with a stable `code`: the CLI prints
 * its message on one line and exits non-zero, with no stack trace. Anything else is a bug and keeps
 * its stack. Expected outcomes (not found, not permitted, already decided) are returned values, not
 * errors.
 */
export abstract class SettleOpsError extends Error {
  /** Stable, machine-readable (`CONFIG_INVALID`, `JAVA_MISSING`, …): never reworded. */
  abstract readonly code: string;
  /** The process exit status the CLI uses for it. */
  readonly exitCode: number = 2;

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** The command line was wrong (unknown command, bad flag, missing argument). */
export class UsageError extends SettleOpsError {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** A configuration file (matching profile, SLA policy) is missing, unreadable or invalid. */
export class ConfigFileError extends SettleOpsError {
  override readonly name = 'ConfigFileError';
  readonly code = 'CONFIG_FILE';
}

/** A service SettleOps needs could not be reached (DynamoDB, AgentCore). */
export class UnreachableError extends SettleOpsError {
  override readonly name = 'UnreachableError';
  readonly code = 'UNREACHABLE';
}

/** True for the errors Node raises when nothing answers at an address. */
export function isConnectionError(error: unknown): boolean {
  const codes = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ENOTFOUND',
    'EHOSTUNREACH',
    'ETIMEDOUT',
    'EAI_AGAIN',
  ]);
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && codes.has(code)) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isConnectionError(inner))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
