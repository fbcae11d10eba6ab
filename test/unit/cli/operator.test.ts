import { describe, expect, it } from 'vitest';
import { actorOfOsUser, CLI_ACTOR } from '../../../src/cli/operator.ts';
import { actorProblem } from '../../../src/settlement/index.ts';

describe('actorOfOsUser', () => {
  it.each([
    ['ops', 'system:cli.ops'],
    ['Ben.Jones', 'system:cli.ben.jones'],
    ['svc_settle-01', 'system:cli.svc_settle-01'],
  ])('names the OS user %s as %s', (username, actor) => {
    expect(actorOfOsUser(username)).toBe(actor);
    expect(actorProblem(actor)).toBeUndefined();
  });

  it.each([['jo smith'], ['root:0'], ['ben@example.com'], [''], ['x'.repeat(200)], [undefined]])(
    'falls back to system:cli for an OS user that fits no actor (%s)',
    (username) => {
      expect(actorOfOsUser(username)).toBe(CLI_ACTOR);
    },
  );
});
