import type { TokenRefusalReason, TokenVerification } from './workload-token.ts';

/** The largest token either verifier reads; anything longer is refused unparsed. */
export const MAX_WORKLOAD_TOKEN_BYTES = 8 * 1024;

/** 401: no usable credential; 403: a valid credential used where it may not be. */
const STATUS: Readonly<Record<TokenRefusalReason, 401 | 403>> = {
  missing: 401,
  malformed: 401,
  unsupported_algorithm: 401,
  bad_signature: 401,
  expired: 401,
  not_yet_valid: 401,
  wrong_issuer: 401,
  wrong_audience: 403,
  wrong_session: 403,
};

/** A refused token, with the status its reason calls for. */
export function tokenRefusal(reason: TokenRefusalReason, message: string): TokenVerification {
  return { ok: false, status: STATUS[reason], reason, message };
}
