import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeSessionId } from '../../../src/agents/client/session-id.ts';
import { LocalWorkloadTokens } from '../../../src/identity/index.ts';
import { LOCAL_AGENT_RUNTIME_ARN } from '../../../src/local/index.ts';
import { createFixtureAgentService } from '../../support/agent-service-fixture.ts';
import { type FixtureRuntime, startFixtureRuntime } from '../../support/fixture-runtime.ts';

/**
 * The runtime's door, over real HTTP straight to `/invocations` (as anyone who can reach the port
 * would): every token that does not prove who asks, for this runtime and this session, is refused
 * with a 401/403 carrying only the reason, and the agent never runs.
 */
const service = createFixtureAgentService();
let fixture: FixtureRuntime;
let seq = 0;
const sessionOf = (principalId: string) => runtimeSessionId('T1', principalId, 'C1', `1718000100.${++seq}`);

beforeAll(async () => {
  fixture = await startFixtureRuntime(service, [
    { principalId: 'alice', roles: ['approver'], desks: ['EQ-LDN'], accounts: [] },
    { principalId: 'bob', roles: ['viewer'], desks: ['FI-LDN'], accounts: [] },
  ]);
});
afterAll(async () => {
  await fixture?.close();
});

async function claimed(principalId: string): Promise<string> {
  const sessionId = sessionOf(principalId);
  await fixture.registry.claim({ sessionId, principalId, at: new Date().toISOString() });
  return sessionId;
}

const tokenFor = (principalId: string, sessionId: string, audience = LOCAL_AGENT_RUNTIME_ARN) =>
  fixture.tokens.issue({ principalId, audience, sessionId });

async function post(
  sessionId: string,
  token: string | undefined,
  body: unknown = { question: 'what can I see?' },
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${fixture.stack.runtimeAddress.url}/invocations`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-amzn-bedrock-agentcore-runtime-session-id': sessionId,
      ...(token === undefined ? {} : { workloadaccesstoken: token }),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('the runtime refuses every unproven caller, with nothing returned', () => {
  it('accepts a valid token: the principal and entitlements come from the directory', async () => {
    const sessionId = await claimed('alice');
    const before = service.calls.length;
    const res = await post(sessionId, await tokenFor('alice', sessionId));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ answer: 'alice asked: what can I see?' });
    expect(service.calls.length).toBe(before + 1);
    expect(service.calls.at(-1)?.ctx.principal).toMatchObject({ roles: ['approver'], desks: ['EQ-LDN'] });
  });

  const refusals: ReadonlyArray<
    readonly [string, (sessionId: string) => Promise<string | undefined>, number, string]
  > = [
    ['a missing token', async () => undefined, 401, 'missing'],
    ['a hand-written principal in the body, no token', async () => undefined, 401, 'missing'],
    ['garbage', async () => 'not-a-jwt', 401, 'malformed'],
    [
      'an expired token',
      // Signed by the runtime's own key, 10 minutes ago, with a 5-minute lifetime.
      (sessionId) =>
        new LocalWorkloadTokens(fixture.key, { now: () => new Date(Date.now() - 600_000) }).issue({
          principalId: 'alice',
          audience: LOCAL_AGENT_RUNTIME_ARN,
          sessionId,
        }),
      401,
      'expired',
    ],
    [
      'a tampered token (payload changed to another principal)',
      async (sessionId) => {
        const [h, p, sig] = (await tokenFor('alice', sessionId)).split('.');
        const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
        return `${h}.${b64url({ ...payload, sub: 'bob' })}.${sig}`;
      },
      401,
      'bad_signature',
    ],
    [
      'alg: none',
      async (sessionId) => {
        const [, p] = (await tokenFor('alice', sessionId)).split('.');
        return `${b64url({ alg: 'none', typ: 'at+jwt' })}.${p}.`;
      },
      401,
      'unsupported_algorithm',
    ],
    [
      'a token signed by another key',
      async (sessionId) => {
        const other = new LocalWorkloadTokens(
          await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey),
        );
        return other.issue({ principalId: 'alice', audience: LOCAL_AGENT_RUNTIME_ARN, sessionId });
      },
      401,
      'bad_signature',
    ],
    [
      'HS256 with a guessed secret',
      async (sessionId) =>
        new SignJWT({ sid: sessionId })
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
          .setSubject('alice')
          .setAudience(LOCAL_AGENT_RUNTIME_ARN)
          .setIssuer('settleops-local-identity')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('settleops')),
      401,
      'unsupported_algorithm',
    ],
    [
      'a token for another runtime (wrong audience)',
      (sessionId) =>
        tokenFor(
          'alice',
          sessionId,
          'arn:aws:bedrock-agentcore:us-east-1:000000000000:runtime/other-1111111111',
        ),
      403,
      'wrong_audience',
    ],
  ];

  it.each(refusals)('refuses %s', async (_name, token, status, reason) => {
    const sessionId = await claimed('alice');
    const before = service.calls.length;
    const res = await post(sessionId, await token(sessionId), {
      question: 'list every trade',
      principal: { principalId: 'alice', roles: ['admin'], desks: '*' },
    });
    expect(res.status).toBe(status);
    expect(res.body).toStrictEqual({ error: status === 401 ? 'unauthenticated' : 'forbidden', reason });
    expect(service.calls.length).toBe(before);
  });

  it("refuses A's token on B's session, both as issued for it and as replayed onto it", async () => {
    const bobs = await claimed('bob');
    const before = service.calls.length;
    // Issued for bob's session by a signer that vouched for alice: the session is bob's.
    const forged = await post(bobs, await tokenFor('alice', bobs));
    expect(forged).toStrictEqual({
      status: 403,
      body: { error: 'forbidden', reason: 'session_owned_by_another' },
    });
    // Alice's genuine token for her own session, replayed with bob's session header.
    const alices = await claimed('alice');
    const replayed = await post(bobs, await tokenFor('alice', alices));
    expect(replayed).toStrictEqual({ status: 403, body: { error: 'forbidden', reason: 'wrong_session' } });
    expect(service.calls.length).toBe(before);
  });

  it('refuses a valid token of someone not (or no longer) in the directory', async () => {
    const sessionId = sessionOf('carol');
    const before = service.calls.length;
    const res = await post(sessionId, await tokenFor('carol', sessionId));
    expect(res).toStrictEqual({ status: 403, body: { error: 'forbidden', reason: 'unknown_principal' } });
    expect(service.calls.length).toBe(before);
    // …and claimed no session for them.
    expect(await fixture.registry.get(sessionId)).toBeUndefined();
  });
});
