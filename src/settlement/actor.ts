/*
 * Audit actors: `principal:<id>`, `agent:<id>` or `system:<id>`. A principal id has one canonical form
 * (see src/identity/principal-id.ts, which builds on this); an actor written to the store must already
 * be in it, so `ALICE`, ` alice` and `alice` are never three people to a four-eyes check.
 */

/** The longest principal id accepted. */
export const MAX_PRINCIPAL_ID_LENGTH = 128;

/**
 * The charset of a canonical principal id: lower-case ASCII letters and digits, then also `.`, `_`,
 * `-`, `@` and `+` (an e-mail-like id such as `ops.ben@example.com` fits). No spaces, no `:`, no
 * control or invisible characters.
 */
export const PRINCIPAL_ID_PATTERN = /^[a-z0-9][a-z0-9._@+-]*$/;

const SYSTEM_OR_AGENT = /^(system|agent):[a-z0-9][a-z0-9._-]{0,127}$/;

/** NFKC, trimmed, lower-case: the comparison form of a principal id (no validation). */
export function normalisePrincipalId(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/** Why `raw` is not an acceptable principal id once normalised, or undefined when it is. */
export function principalIdProblem(raw: string): string | undefined {
  // Control characters are refused before normalising: trimming must not hide a line break.
  if (/\p{Cc}|\p{Cf}/u.test(raw.trim())) return 'contains a control or invisible character';
  const id = normalisePrincipalId(raw);
  if (id === '') return 'is empty';
  if (id.length > MAX_PRINCIPAL_ID_LENGTH) return `is longer than ${MAX_PRINCIPAL_ID_LENGTH} characters`;
  if (!PRINCIPAL_ID_PATTERN.test(id)) {
    return `may hold only letters, digits and . _ - @ + (starting with a letter or digit), got ${JSON.stringify(id)}`;
  }
  return undefined;
}

/**
 * Why `actor` may not be written as an audit actor, or undefined when it may: a `principal:` actor
 * must name a canonical principal id, a `system:`/`agent:` actor a short lower-case name.
 */
export function actorProblem(actor: string): string | undefined {
  if (actor.startsWith('principal:')) {
    const id = actor.slice('principal:'.length);
    const problem = principalIdProblem(id);
    if (problem !== undefined) return `principal id ${problem}`;
    if (normalisePrincipalId(id) !== id) return `principal id ${JSON.stringify(id)} is not in canonical form`;
    return undefined;
  }
  return SYSTEM_OR_AGENT.test(actor) ? undefined : 'must be principal:<id>, system:<name> or agent:<name>';
}

/** An actor refused before a write. */
export class InvalidActorError extends Error {
  override readonly name = 'InvalidActorError';
  constructor(
    readonly actor: string,
    readonly problem: string,
  ) {
    super(`actor ${JSON.stringify(actor)}: ${problem}`);
  }
}
