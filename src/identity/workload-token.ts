/** What a token is checked against: the runtime it is for and the session it is used in. */
export interface TokenExpectation {
  /** The runtime's identity (its ARN): a token for another audience is refused. */
  readonly audience: string;
  readonly sessionId: string;
}

/** Why a token was refused; 401 for no usable credential, 403 for a valid one used where it may not be. */
export type TokenRefusalReason =
  | 'missing'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_session';

export type TokenVerification =
  | { readonly ok: true; readonly principalId: string }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly reason: TokenRefusalReason;
      /** For the logs; never sent to the caller beyond the reason. */
      readonly message: string;
    };

/**
 * Issues the workload access token the runtime receives in its `WorkloadAccessToken` header for a
 * user (`runtimeUserId` = principal id). Adapters: the local signer (a short-lived JWT, key under the
 * data dir) and AgentCore Identity (`GetWorkloadAccessTokenForUserId` with `WORKLOAD_IDENTITY_NAME`).
 */
export interface WorkloadTokenIssuer {
  issue(request: {
    readonly principalId: string;
    readonly audience: string;
    readonly sessionId: string;
  }): Promise<string>;
}

/**
 * Checks the token a request carries and says whose it is. Fails closed: anything it cannot prove is
 * refused, and there is no fallback identity.
 */
export interface WorkloadTokenVerifier {
  verify(token: string | undefined, expected: TokenExpectation): Promise<TokenVerification>;
}
