import type {
  Principal,
  SessionRegistry,
  TokenRefusalReason,
  WorkloadTokenVerifier,
} from '../../identity/index.ts';

/** Why an invocation was refused before the agent ran. */
export type AuthRefusalReason = TokenRefusalReason | 'session_owned_by_another' | 'unknown_principal';

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly reason: AuthRefusalReason;
      /** For the logs only. */
      readonly message: string;
    };

export interface InvocationAuthenticator {
  authenticate(input: {
    readonly token: string | undefined;
    readonly sessionId: string | undefined;
  }): Promise<Authentication>;
}

export interface AuthenticatorDeps {
  readonly verifier: WorkloadTokenVerifier;
  /** The runtime's own identity: tokens must be issued for it. */
  readonly audience: string;
  readonly sessions: SessionRegistry;
  /** The directory principal behind an id (active entries only), or undefined. */
  readonly lookup: (principalId: string) => Promise<Principal | undefined>;
  /**
   * The local operator (`settleops ask` without `--user`): a principal that is not in the directory
   * but may use the embedded runtime with a token from the local signer. Never set on AWS.
   */
  readonly operator?: Principal;
  /** Business time for the session registry (the settlement clock). */
  readonly now: () => Date;
}

/**
 * Who is asking, proven: the workload access token is verified for this runtime and this session,
 * the session is claimed for (or already belongs to) that principal, and the principal's roles,
 * desks and accounts are loaded from the directory. Anything unproven is refused; there is no
 * fallback identity.
 */
export function createInvocationAuthenticator(deps: AuthenticatorDeps): InvocationAuthenticator {
  return {
    async authenticate({ token, sessionId }) {
      if (sessionId === undefined || sessionId === '') {
        return refuse(401, 'missing', 'no session id header');
      }
      const verified = await deps.verifier.verify(token, { audience: deps.audience, sessionId });
      if (!verified.ok) return verified;
      const principal =
        deps.operator !== undefined && verified.principalId === deps.operator.principalId
          ? deps.operator
          : await deps.lookup(verified.principalId);
      if (principal === undefined) {
        return refuse(403, 'unknown_principal', `${verified.principalId} is not an active principal`);
      }
      const claim = await deps.sessions.claim({
        sessionId,
        principalId: principal.principalId,
        at: deps.now().toISOString(),
      });
      if (!claim.ok) {
        return refuse(
          403,
          'session_owned_by_another',
          `session ${sessionId} belongs to another principal than ${principal.principalId}`,
        );
      }
      return { ok: true, principal };
    },
  };
}

function refuse(status: 401 | 403, reason: AuthRefusalReason, message: string): Authentication {
  return { ok: false, status, reason, message };
}
