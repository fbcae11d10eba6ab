import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  SignJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidPrincipalIdError,
  InvalidSessionIdError,
  LocalWorkloadTokens,
  type TokenExpectation,
  type TokenRefusalReason,
  type TokenVerification,
} from '../../../src/identity/index.ts';

const AUDIENCE = 'arn:aws:bedrock-agentcore:us-east-1:000000000000:runtime/settleops_local-0000000000';
const SESSION = 'so-0123456789abcdefghijklmnopqrstuvwxyzABCD';
const OTHER_SESSION = 'so-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxw';
const T0 = new Date('2025-06-02T09:00:00Z');
const EXPECTED: TokenExpectation = { audience: AUDIENCE, sessionId: SESSION };

async function newKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return exportJWK(privateKey);
}

const enc = (o: object) => base64url.encode(JSON.stringify(o));
const dec = (part: string) =>
  JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;

let key: JWK;
let clock: Date;
let tokens: LocalWorkloadTokens;

beforeAll(async () => {
  key = await newKey();
});

function fresh(options: { issuer?: string } = {}, jwk: JWK = key): LocalWorkloadTokens {
  return new LocalWorkloadTokens(jwk, { ...options, now: () => clock });
}

const issue = (t: LocalWorkloadTokens = tokens, principalId = 'alice') =>
  t.issue({ principalId, audience: AUDIENCE, sessionId: SESSION });

const refused = (reason: TokenRefusalReason, status: 401 | 403): TokenVerification => ({
  ok: false,
  status,
  reason,
  message: expect.any(String) as unknown as string,
});

describe('LocalWorkloadTokens', () => {
  beforeAll(() => {
    clock = T0;
    tokens = fresh();
  });

  it('issues an ES256 at+jwt named by its key thumbprint, with the session, audience and a 300 s life', async () => {
    clock = T0;
    const token = await issue(tokens, 'Alice');
    const { x, y, crv, kty } = key;

    expect(decodeProtectedHeader(token)).toStrictEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: await calculateJwkThumbprint({ kty, crv, x, y } as JWK),
    });
    const iat = T0.getTime() / 1000;
    expect(decodeJwt(token)).toStrictEqual({
      iss: 'settleops-local-identity',
      sub: 'alice',
      aud: AUDIENCE,
      sid: SESSION,
      iat,
      nbf: iat,
      exp: iat + 300,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('accepts its own token for the runtime and session it was issued for', async () => {
    clock = T0;
    const token = await issue();

    expect(await tokens.verify(token, EXPECTED)).toStrictEqual({ ok: true, principalId: 'alice' });
  });

  it('accepts a token within the clock tolerance of its expiry', async () => {
    clock = T0;
    const token = await issue();
    clock = new Date(T0.getTime() + 304_000);

    expect(await tokens.verify(token, EXPECTED)).toStrictEqual({ ok: true, principalId: 'alice' });
  });

  describe('refuses', () => {
    const cases: [
      string,
      () => Promise<{ token: string | undefined; expected?: TokenExpectation; at?: Date }>,
      TokenRefusalReason,
      401 | 403,
    ][] = [
      ['no token', async () => ({ token: undefined }), 'missing', 401],
      ['an empty token', async () => ({ token: '' }), 'missing', 401],
      ['garbage', async () => ({ token: 'not-a-token' }), 'malformed', 401],
      ['three parts of garbage', async () => ({ token: 'a.b.c' }), 'malformed', 401],
      [
        'a 9 KB token, unparsed',
        async () => ({ token: `${enc({ alg: 'ES256' })}.${'a'.repeat(9 * 1024)}.x` }),
        'malformed',
        401,
      ],
      [
        'an expired token',
        async () => ({ token: await issue(), at: new Date(T0.getTime() + 306_000) }),
        'expired',
        401,
      ],
      [
        'a token not yet valid',
        async () => ({ token: await issue(), at: new Date(T0.getTime() - 10_000) }),
        'not_yet_valid',
        401,
      ],
      [
        'a token whose subject was changed',
        async () => {
          const [h, p, s] = (await issue()).split('.') as [string, string, string];
          return { token: `${h}.${enc({ ...dec(p), sub: 'mallory' })}.${s}` };
        },
        'bad_signature',
        401,
      ],
      [
        'a token whose signature was changed',
        async () => {
          const [h, p, s] = (await issue()).split('.') as [string, string, string];
          const sig = base64url.decode(s);
          sig[10] = (sig[10] ?? 0) ^ 0xff;
          return { token: `${h}.${p}.${base64url.encode(sig)}` };
        },
        'bad_signature',
        401,
      ],
      [
        'an unsigned token (alg: none)',
        async () => {
          const [, p] = (await issue()).split('.') as [string, string];
          return { token: `${enc({ alg: 'none', typ: 'at+jwt' })}.${p}.` };
        },
        'unsupported_algorithm',
        401,
      ],
      [
        'an HS256 token keyed with the public key',
        async () => {
          const { kty, crv, x, y } = key;
          const secret = new TextEncoder().encode(JSON.stringify({ kty, crv, x, y }));
          const token = await new SignJWT({ sid: SESSION })
            .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
            .setIssuer('settleops-local-identity')
            .setSubject('mallory')
            .setAudience(AUDIENCE)
            .setIssuedAt(T0)
            .setNotBefore(T0)
            .setExpirationTime(T0.getTime() / 1000 + 300)
            .setJti('j')
            .sign(secret);
          return { token };
        },
        'unsupported_algorithm',
        401,
      ],
      [
        'a token of another key',
        async () => ({ token: await issue(fresh({}, await newKey())) }),
        'bad_signature',
        401,
      ],
      [
        'a token of another key that names no key',
        async () => {
          const other = await importJWK(await newKey(), 'ES256');
          const token = await new SignJWT({ sid: SESSION })
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
            .setIssuer('settleops-local-identity')
            .setSubject('mallory')
            .setAudience(AUDIENCE)
            .setIssuedAt(T0)
            .setNotBefore(T0)
            .setExpirationTime(T0.getTime() / 1000 + 300)
            .setJti('j')
            .sign(other);
          return { token };
        },
        'bad_signature',
        401,
      ],
      [
        'a token of another issuer',
        async () => ({ token: await issue(fresh({ issuer: 'someone-else' })) }),
        'wrong_issuer',
        401,
      ],
      [
        'a token for another runtime',
        async () => ({
          token: await issue(),
          expected: { audience: `${AUDIENCE}-other`, sessionId: SESSION },
        }),
        'wrong_audience',
        403,
      ],
      [
        'a token for another session',
        async () => ({ token: await issue(), expected: { audience: AUDIENCE, sessionId: OTHER_SESSION } }),
        'wrong_session',
        403,
      ],
      [
        'a validly signed token whose subject is not a canonical principal id',
        async () => {
          const signing = await importJWK(key, 'ES256');
          const token = await new SignJWT({ sid: SESSION })
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
            .setIssuer('settleops-local-identity')
            .setSubject('Alice')
            .setAudience(AUDIENCE)
            .setIssuedAt(T0)
            .setNotBefore(T0)
            .setExpirationTime(T0.getTime() / 1000 + 300)
            .setJti('j')
            .sign(signing);
          return { token };
        },
        'malformed',
        401,
      ],
      [
        'a validly signed token without a session',
        async () => {
          const signing = await importJWK(key, 'ES256');
          const token = await new SignJWT({})
            .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
            .setIssuer('settleops-local-identity')
            .setSubject('alice')
            .setAudience(AUDIENCE)
            .setIssuedAt(T0)
            .setNotBefore(T0)
            .setExpirationTime(T0.getTime() / 1000 + 300)
            .setJti('j')
            .sign(signing);
          return { token };
        },
        'malformed',
        401,
      ],
    ];

    it.each(cases)('%s', async (_name, make, reason, status) => {
      clock = T0;
      const { token, expected, at } = await make();
      clock = at ?? T0;

      expect(await tokens.verify(token, expected ?? EXPECTED)).toStrictEqual(refused(reason, status));
    });
  });

  it('issues nothing for a principal id or session id it would not accept', async () => {
    clock = T0;
    await expect(issue(tokens, 'al ice')).rejects.toThrow(InvalidPrincipalIdError);
    await expect(
      tokens.issue({ principalId: 'alice', audience: AUDIENCE, sessionId: 'short' }),
    ).rejects.toThrow(InvalidSessionIdError);
    await expect(tokens.issue({ principalId: 'alice', audience: '', sessionId: SESSION })).rejects.toThrow(
      /^audience:/,
    );
  });

  it('refuses to be built on anything but a private P-256 key', async () => {
    const { kty, crv, x, y } = key;
    expect(() => new LocalWorkloadTokens({ kty, crv, x, y } as JWK)).toThrow(/privateKey: .*private key/);
    expect(() => new LocalWorkloadTokens({ kty: 'oct', k: 'c2VjcmV0' })).toThrow(/privateKey: .*P-256/);
  });
});
