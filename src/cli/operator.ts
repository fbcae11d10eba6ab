import { userInfo } from 'node:os';
import { actorProblem } from '../settlement/index.ts';

/** The audit actor when the OS user cannot be named as one. */
export const CLI_ACTOR = 'system:cli';

/**
 * The audit actor of an administrator at this terminal: `system:cli.<os user>` (the actor rules of
 * src/settlement/actor.ts allow only `principal:`, `agent:` and `system:` actors, and the OS user is
 * not a directory principal), or `system:cli` when the OS user has no name that fits the rules.
 */
export function operatorActor(username: string | undefined = osUsername()): string {
  if (username === undefined) return CLI_ACTOR;
  const actor = `system:cli.${username.normalize('NFKC').trim().toLowerCase()}`;
  return actorProblem(actor) === undefined ? actor : CLI_ACTOR;
}

function osUsername(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the actor falls back to `system:cli`.
    return undefined;
  }
}
