import type { PrincipalDirectory } from '../../identity/index.ts';
import type { WorkerDeps } from './deps.ts';

/**
 * How a decider is shown: the directory's display name for `principal:<id>` actors (the id when it
 * has none), the actor itself otherwise.
 */
export async function displayNameOf(directory: PrincipalDirectory, actor: string): Promise<string> {
  if (!actor.startsWith('principal:')) return actor;
  const id = actor.slice('principal:'.length);
  const entry = await directory.get(id).catch(() => undefined);
  return entry?.displayName ?? id;
}

/** The desk's time zone from the SLA policy (deadlines are shown in it). */
export function deskTimeZone(deps: Pick<WorkerDeps, 'settlement'>, desk: string): string {
  return deps.settlement.sla.timeZoneOf(desk);
}
