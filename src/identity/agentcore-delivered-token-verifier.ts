import { checkPrincipalId } from './principal-id.ts';
import { isRegistrableSessionId } from './session-id.ts';
import type { SessionRegistry } from './session-registry.ts';
import { MAX_WORKLOAD_TOKEN_BYTES, tokenRefusal } from './token-refusal.ts';
import type { TokenExpectation, TokenVerification, WorkloadTokenVerifier } from './workload-token.ts';

// Opaque tokens are printable ASCII (base64/base64url/JWT alphabets and separators): no spaces,
// no control characters, nothing a header could smuggle.
const SANE_TOKEN = /^[\x21-\x7e]+$/;

/**
 * The verifier of the runtime on AWS. The workload access token AgentCore Runtime delivers is opaque
 * and signed by AWS; the container cannot check it offline. So this verifier requires a token of sane
 * shape and size (none → 401 missing) and then relies on AgentCore's binding of session to user:
 * the principal is the registered owner of `expected.sessionId`, and a session nobody claimed is
 * refused (403 wrong_session).
 *
 * The trust argument: (1) only AgentCore Runtime reaches the container (no other ingress), so the
 * token and session headers are the ones AgentCore set; (2) AgentCore only sets a user and delivers
 * that user's token when the caller holds `bedrock-agentcore:InvokeAgentRuntimeForUser` to pass
 * `runtimeUserId`, which only the trusted caller (the Slack bot / the CLI role) does; (3) that caller
 * claims the session for the principal in the session registry before invoking, and the registry
 * keeps the first claim, so a session id names exactly one principal. If any of the three stops being
 * true (a public endpoint, a wider grant of InvokeAgentRuntimeForUser, a caller that invokes before
 * claiming) this verifier no longer proves anything.
 */
export class AgentCoreDeliveredTokenVerifier implements WorkloadTokenVerifier {
  constructor(
    private readonly sessions: SessionRegistry,
    private readonly options: { readonly maxTokenBytes?: number } = {},
  ) {}

  async verify(token: string | undefined, expected: TokenExpectation): Promise<TokenVerification> {
    if (token === undefined || token.trim() === '')
      return tokenRefusal('missing', 'no workload access token');
    const max = this.options.maxTokenBytes ?? MAX_WORKLOAD_TOKEN_BYTES;
    if (token.length > max) return tokenRefusal('malformed', `the token is over ${max} bytes`);
    if (!SANE_TOKEN.test(token))
      return tokenRefusal('malformed', 'the token holds characters no workload token has');
    if (!isRegistrableSessionId(expected.sessionId))
      return tokenRefusal('wrong_session', 'the session id is not one the registry could hold');
    const session = await this.sessions.get(expected.sessionId);
    if (session === undefined)
      return tokenRefusal('wrong_session', 'the session was never claimed by the trusted caller');
    const owner = checkPrincipalId(session.principalId);
    if (!owner.ok || owner.principalId !== session.principalId)
      return tokenRefusal('wrong_session', 'the session owner is not a canonical principal id');
    return { ok: true, principalId: owner.principalId };
  }
}
