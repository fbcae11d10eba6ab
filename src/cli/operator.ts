import { userInfo } from 'node:os';
import { actorProblem } from '../settlement/index.ts';

/** The audit actor when the OS user cannot be named as one. */
export const CLI_ACTOR = 'system:cli';

/**
 * The audit actor of an administrator at this terminal: `system:cli.<os user>`. The actor rules of
 * src/settlement/actor.ts allow only `principal:`, `agent:` and `system:` actors, and the OS user is
 * not a directory principal, so it is named under `system:cli`.
 */
export function operatorActor(): string {
  return actorOfOsUser(osUsername());
}

/** `system:cli.<username>` (lower-cased), or `system:cli` for a username that fits no actor. */
export function actorOfOsUser(username: string | undefined): string {
  const name = username?.normalize('NFKC').trim().toLowerCase() ?? '';
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) return CLI_ACTOR;
  const actor = `system:cli.${name}`;
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
