import { mayViewAccount, type Principal } from '../../identity/index.ts';

/*
 * The output redactor: runs on every answer before it leaves the agent. Secrets are never echoed,
 * whoever asks; account numbers are masked to their last four characters unless the asker may view
 * that account.
 */

export interface Redaction {
  readonly kind:
    | 'aws_access_key'
    | 'aws_secret_key'
    | 'slack_token'
    | 'bearer_token'
    | 'jwt'
    | 'private_key'
    | 'account';
  readonly count: number;
}

const SECRET_PATTERNS: readonly { readonly kind: Redaction['kind']; readonly regex: RegExp }[] = [
  { kind: 'private_key', regex: /-----BEGIN [A-Z0-9 ]*KEY-----[\s\S]*?(-----END [A-Z0-9 ]*KEY-----|$)/g },
  { kind: 'aws_access_key', regex: /\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g },
  {
    kind: 'aws_secret_key',
    regex:
      /\b(aws_?secret_?access_?key|secretAccessKey|aws_?session_?token)\b["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{16,}["']?/gi,
  },
  { kind: 'slack_token', regex: /\bxox[abposr]-[A-Za-z0-9-]{8,}|\bxapp-[A-Za-z0-9-]{8,}/g },
  { kind: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { kind: 'bearer_token', regex: /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi },
];

/** IBAN-like strings (country, check digits, 11–30 alphanumerics) and long digit runs (≥ 10). */
const ACCOUNT_LIKE = /\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b|(?<![A-Za-z0-9.,-])\d{10,}(?![A-Za-z0-9]|[.,]\d)/g;

export function maskAccount(account: string): string {
  return `****${account.length > 4 ? account.slice(-4) : ''}`;
}

export interface RedactionContext {
  readonly principal: Pick<Principal, 'accounts'>;
  /** Account ids seen in this turn's tool results (and any others the caller knows of). */
  readonly knownAccounts: Iterable<string>;
}

export interface RedactionResult {
  readonly text: string;
  readonly redactions: readonly Redaction[];
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function redactOutput(text: string, ctx: RedactionContext): RedactionResult {
  const counts = new Map<Redaction['kind'], number>();
  const bump = (kind: Redaction['kind']): void => {
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
  let out = text;
  for (const { kind, regex } of SECRET_PATTERNS) {
    out = out.replace(regex, () => {
      bump(kind);
      return `[redacted ${kind.replaceAll('_', ' ')}]`;
    });
  }
  // Longest first, so an account id that contains another is masked whole.
  const known = [...new Set(ctx.knownAccounts)]
    .filter((a) => a.length > 4 && !mayViewAccount(ctx.principal, a))
    .sort((a, b) => b.length - a.length);
  for (const account of known) {
    out = out.replace(new RegExp(`(?<![A-Za-z0-9*])${escapeRegex(account)}(?![A-Za-z0-9])`, 'g'), () => {
      bump('account');
      return maskAccount(account);
    });
  }
  out = out.replace(ACCOUNT_LIKE, (match) => {
    if (mayViewAccount(ctx.principal, match)) return match;
    bump('account');
    return maskAccount(match);
  });
  return { text: out, redactions: [...counts].map(([kind, count]) => ({ kind, count })) };
}

/**
 * Account ids in a tool result: string values (or string arrays) under keys that name an account
 * (`account`, `accountId`, `settlementAccount`, `accounts`).
 */
export function collectAccountIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectAccountIds(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (/account/i.test(key)) {
        if (typeof v === 'string' && v !== '') into.add(v);
        else if (Array.isArray(v)) for (const a of v) if (typeof a === 'string' && a !== '') into.add(a);
      }
      collectAccountIds(v, into);
    }
  }
  return into;
}
