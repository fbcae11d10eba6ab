import { describe, expect, it } from 'vitest';
import { AgentRequest } from '../../../src/agents/contract.ts';
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
  const principal = { roles: ['viewer'], desks: ['EQ-US'], accounts: [] };

  it('carries the principal id in canonical form', () => {
    const parsed = AgentRequest.parse({
      question: 'hi',
      principal: { ...principal, principalId: ' Alice ' },
    });
    expect(parsed.principal.principalId).toBe('alice');
  });

  it.each(['', 'x\ny'])('refuses the principal id %j', (principalId) => {
    const parsed = AgentRequest.safeParse({ question: 'hi', principal: { ...principal, principalId } });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toStrictEqual(['principal.principalId']);
  });
});
