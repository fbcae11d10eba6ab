import { describe, expect, it } from 'vitest';
import { AgentRequest } from '../../../src/agents/contract.ts';
import { Principal } from '../../../src/identity/principal.ts';
import { checkPrincipalId, PrincipalId } from '../../../src/identity/principal-id.ts';
import { actorProblem } from '../../../src/settlement/actor.ts';

describe('checkPrincipalId', () => {
  it.each([
    ['alice', 'alice'],
    ['ALICE', 'alice'],
    ['  Alice\t', 'alice'],
    ['ＡＬＩＣＥ', 'alice'],
    ['ops.ben@example.com', 'ops.ben@example.com'],
    ['a'.repeat(128), 'a'.repeat(128)],
  ])('normalises %j to %j', (raw, principalId) => {
    expect(checkPrincipalId(raw)).toStrictEqual({ ok: true, principalId });
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['x\ny', 'contains a control or invisible character'],
    ['al\u200bice', 'contains a control or invisible character'],
    ['\u001b[31mred', 'contains a control or invisible character'],
    ['a'.repeat(129), 'is longer than 128 characters'],
    [
      'alice smith',
      'may hold only letters, digits and . _ - @ + (starting with a letter or digit), got "alice smith"',
    ],
    [
      'system:ingest',
      'may hold only letters, digits and . _ - @ + (starting with a letter or digit), got "system:ingest"',
    ],
    ['-alice', 'may hold only letters, digits and . _ - @ + (starting with a letter or digit), got "-alice"'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(checkPrincipalId(raw)).toStrictEqual({ ok: false, problem });
  });

  it('is the zod schema at boundaries', () => {
    expect(PrincipalId.parse(' OPS-Ben ')).toBe('ops-ben');
    expect(PrincipalId.safeParse('').success).toBe(false);
  });
});

describe('actorProblem', () => {
  it.each([
    ['principal:alice', undefined],
    ['system:ingest', undefined],
    ['agent:settleops', undefined],
    ['principal:ALICE', 'principal id "ALICE" is not in canonical form'],
    ['principal:', 'principal id is empty'],
    ['principal:x\ny', 'principal id contains a control or invisible character'],
    ['alice', 'must be principal:<id>, system:<name> or agent:<name>'],
  ])('%j → %j', (actor, problem) => {
    expect(actorProblem(actor)).toBe(problem);
  });
});

describe('the agent request', () => {
  it('carries no principal: a body naming one is refused, who asks comes from the verified token', () => {
    const parsed = AgentRequest.safeParse({
      question: 'hi',
      principal: { principalId: 'alice', roles: ['admin'], desks: '*', accounts: [] },
    });
    expect(parsed.error?.issues.map((i) => i.code)).toStrictEqual(['unrecognized_keys']);
    expect(AgentRequest.parse({ question: 'hi' })).toStrictEqual({ question: 'hi' });
  });

  it('reads the principal id of the token in canonical form', () => {
    expect(Principal.parse({ principalId: ' Alice ', roles: ['viewer'], desks: [] }).principalId).toBe(
      'alice',
    );
    expect(Principal.safeParse({ principalId: 'x\ny', roles: ['viewer'], desks: [] }).success).toBe(false);
  });
});
