import {
  type DirectoryEntry,
  type Principal,
  type PrincipalDirectory,
  principalOf,
} from '../../identity/index.ts';

/** The active directory principal a Slack user maps to, or undefined: unknown people get no data. */
export async function principalOfSlackUser(
  directory: PrincipalDirectory,
  teamId: string,
  userId: string,
): Promise<{ readonly principal: Principal; readonly entry: DirectoryEntry } | undefined> {
  const entry = await directory.findBySlackUser({ teamId, userId });
  if (entry === undefined || entry.status !== 'ACTIVE') return undefined;
  return { principal: principalOf(entry), entry };
}
