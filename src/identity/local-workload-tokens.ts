import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { canonicalPrincipalId, checkPrincipalId } from './principal-id.ts';
import { checkSessionId } from './session-id.ts';
import { MAX_WORKLOAD_TOKEN_BYTES, tokenRefusal } from './token-refusal.ts';
import type {
  TokenExpectation,
  TokenRefusalReason,
  TokenVerification,
  WorkloadTokenIssuer,
  WorkloadTokenVerifier,
} from './workload-token.ts';

const ALG = 'ES256';
const TYP = 'at+jwt';
const MAX_AUDIENCE_LENGTH = 2048;

export interface LocalWorkloadTokensOptions {
  /** `iss` of the tokens issued and required of the tokens verified. */
  readonly issuer?: string;
  /** How long a token is valid (seconds, default 300). */
  readonly lifetimeSeconds?: number;
  readonly now?: () => Date;
  /** Clock skew allowed on `nbf`/`exp`/`iat` (seconds, default 5). */
  readonly clockToleranceSeconds?: number;
}

interface EcPrivateJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly d: string;
  readonly x: string;
  readonly y: string;
}

interface Keys {
  readonly signing: CryptoKey;
  readonly verifying: CryptoKey;
  readonly kid: string;
}

/**
 * The local workload identity: signs short-lived ES256 JWTs (`typ: at+jwt`, `kid` = the key's RFC 7638
 * thumbprint) with claims `iss`, `sub` (the canonical principal id), `aud` (the runtime), `sid` (the
 * session), `iat`/`nbf`/`exp` and a `jti`; and verifies them with the same key's public half. The
 * verifier only accepts ES256 from this key, checks issuer, audience, time (with a small tolerance and
 * a maximum age of one lifetime) and then the session, and maps every failure to a refusal reason;
 * it never returns a principal it could not prove.
 */
export class LocalWorkloadTokens implements WorkloadTokenIssuer, WorkloadTokenVerifier {
  readonly #privateJwk: EcPrivateJwk;
  readonly #issuer: string;
  readonly #lifetime: number;
  readonly #tolerance: number;
  readonly #now: () => Date;
  #keys: Promise<Keys> | undefined;

  constructor(privateKey: JWK, options: LocalWorkloadTokensOptions = {}) {
    const { kty, crv, d, x, y } = privateKey;
    if (kty !== 'EC' || crv !== 'P-256')
      throw new Error('privateKey: the workload identity key must be an EC P-256 JWK (ES256)');
    if (typeof d !== 'string' || typeof x !== 'string' || typeof y !== 'string')
      throw new Error('privateKey: the JWK must be a private key (d, x and y)');
    this.#privateJwk = { kty: 'EC', crv: 'P-256', d, x, y };
    this.#issuer = options.issuer ?? 'settleops-local-identity';
    if (this.#issuer.length === 0) throw new Error('issuer: must not be empty');
    this.#lifetime = positiveInteger(options.lifetimeSeconds ?? 300, 'lifetimeSeconds');
    this.#tolerance = options.clockToleranceSeconds ?? 5;
    if (!Number.isInteger(this.#tolerance) || this.#tolerance < 0)
      throw new Error('clockToleranceSeconds: must be an integer ≥ 0');
    this.#now = options.now ?? (() => new Date());
  }

  async issue(request: {
    readonly principalId: string;
    readonly audience: string;
    readonly sessionId: string;
  }): Promise<string> {
    const subject = canonicalPrincipalId(request.principalId, 'principalId');
    const sessionId = checkSessionId(request.sessionId);
    if (request.audience.length === 0 || request.audience.length > MAX_AUDIENCE_LENGTH)
      throw new Error(`audience: must be 1–${MAX_AUDIENCE_LENGTH} characters`);
    const keys = await this.#loadKeys();
    const now = Math.floor(this.#now().getTime() / 1000);
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ALG, typ: TYP, kid: keys.kid })
      .setIssuer(this.#issuer)
      .setSubject(subject)
      .setAudience(request.audience)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.#lifetime)
      .setJti(randomUUID())
      .sign(keys.signing);
  }

  async verify(token: string | undefined, expected: TokenExpectation): Promise<TokenVerification> {
    if (token === undefined || token.trim() === '')
      return tokenRefusal('missing', 'no workload access token');
    const bytes = Buffer.byteLength(token, 'utf8');
    if (bytes > MAX_WORKLOAD_TOKEN_BYTES)
      return tokenRefusal('malformed', `the token is ${bytes} bytes, over ${MAX_WORKLOAD_TOKEN_BYTES}`);
    // decodeProtectedHeader also reads the five-part JWE form: only the three-part JWS is a token here.
    if (token.split('.').length !== 3) return tokenRefusal('malformed', 'not a compact JWS');
    let alg: unknown;
    let kid: unknown;
    try {
      ({ alg, kid } = decodeProtectedHeader(token));
    } catch {
      return tokenRefusal('malformed', 'the token header cannot be read');
    }
    // Checked before any key is used: `alg: none`, or HS256 keyed with our public key, never reach
    // a verification routine.
    if (alg !== ALG) return tokenRefusal('unsupported_algorithm', `alg ${JSON.stringify(alg)} is not ES256`);
    const keys = await this.#loadKeys();
    if (kid !== undefined && kid !== keys.kid)
      return tokenRefusal('bad_signature', 'the token names another signing key');

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys.verifying, {
        algorithms: [ALG],
        issuer: this.#issuer,
        audience: expected.audience,
        typ: TYP,
        clockTolerance: this.#tolerance,
        maxTokenAge: this.#lifetime,
        currentDate: this.#now(),
        requiredClaims: ['sub', 'sid', 'jti', 'iat', 'nbf', 'exp'],
      }));
    } catch (error) {
      const [reason, message] = refusalOf(error);
      return tokenRefusal(reason, message);
    }

    const { sub, sid } = payload;
    const principal = typeof sub === 'string' ? checkPrincipalId(sub) : undefined;
    if (principal === undefined || !principal.ok || principal.principalId !== sub)
      return tokenRefusal('malformed', '"sub" is not a canonical principal id');
    if (sid !== expected.sessionId)
      return tokenRefusal('wrong_session', 'the token was issued for another session');
    return { ok: true, principalId: principal.principalId };
  }

  #loadKeys(): Promise<Keys> {
    this.#keys ??= importKeys(this.#privateJwk);
    return this.#keys;
  }
}

async function importKeys(privateJwk: EcPrivateJwk): Promise<Keys> {
  const { kty, crv, x, y } = privateJwk;
  const publicJwk: JWK = { kty, crv, x, y };
  const [signing, verifying, kid] = await Promise.all([
    importJWK({ ...privateJwk }, ALG),
    importJWK(publicJwk, ALG),
    calculateJwkThumbprint(publicJwk),
  ]);
  // importJWK returns bytes only for `oct` keys, which the constructor already refused.
  if (signing instanceof Uint8Array || verifying instanceof Uint8Array)
    throw new Error('privateKey: not an asymmetric key');
  return { signing, verifying, kid };
}

function refusalOf(error: unknown): [TokenRefusalReason, string] {
  if (error instanceof errors.JWTExpired) return ['expired', error.message];
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'check_failed') {
      if (error.claim === 'iss') return ['wrong_issuer', error.message];
      if (error.claim === 'aud') return ['wrong_audience', error.message];
      // `nbf` ahead of the clock, or `iat` in the future.
      if (error.claim === 'nbf' || error.claim === 'iat') return ['not_yet_valid', error.message];
    }
    return ['malformed', error.message];
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return ['bad_signature', error.message];
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return ['unsupported_algorithm', error.message];
  if (error instanceof errors.JOSEError) return ['malformed', error.message];
  // Not a token problem (a bug, or the key): surface it rather than refuse quietly.
  throw error;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${field}: must be a positive integer`);
  return value;
}
