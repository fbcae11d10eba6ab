import { z } from 'zod';
import { normalisePrincipalId, principalIdProblem } from '../settlement/index.ts';

export {
  MAX_PRINCIPAL_ID_LENGTH,
  normalisePrincipalId,
  PRINCIPAL_ID_PATTERN,
} from '../settlement/index.ts';

export type PrincipalIdCheck =
  | { readonly ok: true; readonly principalId: string }
  | { readonly ok: false; readonly problem: string };

/**
 * The one normal form of a principal id, and whether it is acceptable: Unicode NFKC (so a full-width
 * `ＡＬＩＣＥ` and `alice` are the same person), trimmed, lower-cased; then non-empty, at most 128
 * characters of `PRINCIPAL_ID_PATTERN` (letters, digits, `. _ - @ +`), no control or invisible
 * characters. Every boundary that takes a principal id (CLI `--as`, ingest's actor, the agent
 * request, the directory, `decideReview`) goes through it.
 */
export function checkPrincipalId(raw: string): PrincipalIdCheck {
  const problem = principalIdProblem(raw);
  return problem === undefined
    ? { ok: true, principalId: normalisePrincipalId(raw) }
    : { ok: false, problem };
}

/** A principal id refused at a boundary, naming the field it came in (e.g. `--as`). */
export class InvalidPrincipalIdError extends Error {
  override readonly name = 'InvalidPrincipalIdError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: principal id ${problem}`);
  }
}

/** The canonical id, or an `InvalidPrincipalIdError` naming `field`. */
export function canonicalPrincipalId(raw: string, field = 'principal id'): string {
  const checked = checkPrincipalId(raw);
  if (!checked.ok) throw new InvalidPrincipalIdError(field, checked.problem);
  return checked.principalId;
}

/** zod: a principal id, normalised to its canonical form or refused with the reason. */
export const PrincipalId = z.string().transform((raw, ctx) => {
  const checked = checkPrincipalId(raw);
  if (checked.ok) return checked.principalId;
  ctx.addIssue({ code: 'custom', message: checked.problem });
  return z.NEVER;
});

/** The audit actor of a principal: `principal:<canonical id>`. */
export function principalActor(principalId: string, field?: string): string {
  return `principal:${canonicalPrincipalId(principalId, field)}`;
}
