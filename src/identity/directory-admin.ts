import { z } from 'zod';
import { actorProblem, GENESIS_HASH, Identifier, sealAuditRecord } from '../settlement/index.ts';
import { DirectoryEntry, directoryEntityId, SlackUser } from './directory-entry.ts';
import { type Principal, Role } from './principal.ts';
import type { DirectoryWriteResult, PrincipalDirectory } from './principal-directory.ts';
import { checkPrincipalId, PrincipalId } from './principal-id.ts';

/** What the directory use cases need. */
export interface DirectoryDeps {
  readonly directory: PrincipalDirectory;
  readonly now: () => Date;
}

/** A change refused before anything was written, naming the field. */
export interface InvalidChange {
  readonly kind: 'INVALID';
  readonly problems: readonly string[];
}

export type DirectoryChangeOutcome =
  | { readonly kind: 'CHANGED'; readonly entry: DirectoryEntry }
  /** The change was already in effect: nothing written. */
  | { readonly kind: 'UNCHANGED'; readonly entry: DirectoryEntry }
  | { readonly kind: 'NOT_FOUND'; readonly principalId: string }
  /** `addPrincipal` of an id that is already active. */
  | { readonly kind: 'EXISTS'; readonly entry: DirectoryEntry }
  | { readonly kind: 'SLACK_USER_TAKEN'; readonly message: string }
  | { readonly kind: 'CONFLICT' }
  | InvalidChange;

/** The input of `addPrincipal`, as a boundary (CLI, bot) hands it over: validated here. */
export const NewPrincipal = z
  .object({
    principalId: PrincipalId,
    displayName: z.string().trim().min(1, 'is empty').max(200, 'is longer than 200 characters').optional(),
    roles: z.array(Role).min(1, 'needs at least one role').max(3),
    desks: z.union([z.literal('*'), z.array(Identifier).max(200)]).default([]),
    accounts: z.union([z.literal('*'), z.array(Identifier).max(1000)]).default([]),
    slack: SlackUser.optional(),
    idpSubject: z.string().min(1).max(255).optional(),
  })
  .strict();
export type NewPrincipal = z.input<typeof NewPrincipal>;

/** One grant or revocation: a role, a desk or an account. */
export type Entitlement = { readonly role: Role } | { readonly desk: string } | { readonly account: string };

const MAX_ATTEMPTS = 5;

/**
 * Adds a principal (or re-activates a removed one) with its roles, desks and accounts; audited as
 * `PRINCIPAL_ADDED` by `actor`. An active principal of that id is `EXISTS`, a Slack user mapped to
 * someone else `SLACK_USER_TAKEN`; nothing is written then.
 */
export async function addPrincipal(
  deps: DirectoryDeps,
  input: NewPrincipal,
  actor: string,
): Promise<DirectoryChangeOutcome> {
  const parsed = NewPrincipal.safeParse(input);
  const invalid = [...issuesOf(parsed), ...actorIssues(actor)];
  if (!parsed.success || invalid.length > 0) return { kind: 'INVALID', problems: invalid };
  const wanted = parsed.data;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const previous = await deps.directory.get(wanted.principalId);
    if (previous?.status === 'ACTIVE') return { kind: 'EXISTS', entry: previous };
    const details = withoutUndefined({ ...wanted });
    // A removed principal added again starts from what is given now, not from its tombstone.
    const written = await write(deps, previous, 'PRINCIPAL_ADDED', actor, details, () => ({
      ...details,
      status: 'ACTIVE',
    }));
    if (written.kind !== 'CONFLICT') return written;
  }
  return { kind: 'CONFLICT' };
}

/** Removes a principal: it resolves to nobody from now on (its entry stays as an audited tombstone). */
export async function removePrincipal(
  deps: DirectoryDeps,
  principalId: string,
  actor: string,
): Promise<DirectoryChangeOutcome> {
  return change(deps, principalId, actor, 'PRINCIPAL_REMOVED', {}, (e) =>
    withoutUndefined({ ...e, status: 'REMOVED' as const, slack: undefined }),
  );
}

/** Grants a role, a desk or an account (`UNCHANGED` when already held). */
export async function grant(
  deps: DirectoryDeps,
  principalId: string,
  entitlement: Entitlement,
  actor: string,
): Promise<DirectoryChangeOutcome> {
  const problems = entitlementIssues(entitlement);
  if (problems.length > 0) return { kind: 'INVALID', problems };
  return change(deps, principalId, actor, 'ENTITLEMENT_GRANTED', { ...entitlement }, (e) => {
    if ('role' in entitlement) return { ...e, roles: addTo(e.roles, entitlement.role) };
    if ('desk' in entitlement)
      return { ...e, desks: e.desks === '*' ? '*' : addTo(e.desks, entitlement.desk) };
    return { ...e, accounts: e.accounts === '*' ? '*' : addTo(e.accounts, entitlement.account) };
  });
}

/**
 * Revokes a role, a desk or an account (`UNCHANGED` when not held). A principal keeps at least one
 * role: revoking the last is refused (remove the principal instead). Revoking one desk from `'*'` is
 * refused too: say which desks they keep by removing and adding them again.
 */
export async function revoke(
  deps: DirectoryDeps,
  principalId: string,
  entitlement: Entitlement,
  actor: string,
): Promise<DirectoryChangeOutcome> {
  const problems = entitlementIssues(entitlement);
  if (problems.length > 0) return { kind: 'INVALID', problems };
  return change(deps, principalId, actor, 'ENTITLEMENT_REVOKED', { ...entitlement }, (e) => {
    if ('role' in entitlement) {
      const roles = e.roles.filter((r) => r !== entitlement.role);
      return roles.length === 0
        ? 'role: a principal keeps at least one role (remove the principal instead)'
        : { ...e, roles };
    }
    if ('desk' in entitlement) {
      return e.desks === '*'
        ? 'desk: the principal holds every desk (*); no single desk can be revoked'
        : { ...e, desks: e.desks.filter((d) => d !== entitlement.desk) };
    }
    return e.accounts === '*'
      ? 'account: the principal holds every account (*); no single account can be revoked'
      : { ...e, accounts: e.accounts.filter((a) => a !== entitlement.account) };
  });
}

/** Every active principal, by id. */
export async function listPrincipals(deps: Pick<DirectoryDeps, 'directory'>): Promise<DirectoryEntry[]> {
  return (await deps.directory.list()).sort((a, b) => a.principalId.localeCompare(b.principalId));
}

/**
 * The principal an id names, as the rest of SettleOps sees one (roles, desks, accounts), if the
 * directory knows it and it is active. The id is canonicalised first; an invalid id names nobody.
 */
export async function lookupPrincipal(
  directory: PrincipalDirectory,
  rawPrincipalId: string,
): Promise<Principal | undefined> {
  const id = checkPrincipalId(rawPrincipalId);
  if (!id.ok) return undefined;
  const entry = await directory.get(id.principalId);
  return entry?.status === 'ACTIVE' ? principalOf(entry) : undefined;
}

/** A directory entry as a `Principal`. */
export function principalOf(entry: DirectoryEntry): Principal {
  return {
    principalId: entry.principalId,
    ...(entry.displayName === undefined ? {} : { displayName: entry.displayName }),
    roles: [...entry.roles],
    desks: entry.desks === '*' ? '*' : [...entry.desks],
    accounts: entry.accounts === '*' ? '*' : [...entry.accounts],
  };
}

type Base = Omit<DirectoryEntry, 'version' | 'auditHash' | 'updatedAt'>;

async function change(
  deps: DirectoryDeps,
  rawPrincipalId: string,
  actor: string,
  action: string,
  details: Record<string, unknown>,
  next: (current: Base) => Base | string,
): Promise<DirectoryChangeOutcome> {
  const id = checkPrincipalId(rawPrincipalId);
  const problems = [...(id.ok ? [] : [`principalId: ${id.problem}`]), ...actorIssues(actor)];
  if (!id.ok || problems.length > 0) return { kind: 'INVALID', problems };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.directory.get(id.principalId);
    if (current?.status !== 'ACTIVE') return { kind: 'NOT_FOUND', principalId: id.principalId };
    const { version: _v, auditHash: _h, updatedAt: _u, ...base } = current;
    const wanted = next(base);
    if (typeof wanted === 'string') return { kind: 'INVALID', problems: [wanted] };
    if (JSON.stringify(wanted) === JSON.stringify(base)) return { kind: 'UNCHANGED', entry: current };
    const written = await write(deps, current, action, actor, details, () => wanted);
    if (written.kind !== 'CONFLICT') return written;
  }
  return { kind: 'CONFLICT' };
}

/** Seals the next version with its audit record and writes both (or nothing). */
async function write(
  deps: DirectoryDeps,
  previous: DirectoryEntry | undefined,
  action: string,
  actor: string,
  details: Record<string, unknown>,
  next: (base: Base) => Base,
): Promise<DirectoryChangeOutcome> {
  const at = deps.now().toISOString();
  const principalId = String(details.principalId ?? previous?.principalId);
  const base: Base =
    previous === undefined
      ? { principalId, roles: ['viewer'], desks: [], accounts: [], status: 'ACTIVE' }
      : (({ version: _v, auditHash: _h, updatedAt: _u, ...rest }) => rest)(previous);
  const seq = (previous?.version ?? 0) + 1;
  const audit = sealAuditRecord(previous?.auditHash ?? GENESIS_HASH, {
    entityId: directoryEntityId(principalId),
    seq,
    action,
    actor,
    details,
    at,
  });
  const entry = DirectoryEntry.parse({ ...next(base), updatedAt: at, version: seq, auditHash: audit.hash });
  const result: DirectoryWriteResult =
    entry.status === 'REMOVED'
      ? await deps.directory.remove({ entry, audit, ...(previous === undefined ? {} : { previous }) })
      : await deps.directory.put({ entry, audit, ...(previous === undefined ? {} : { previous }) });
  if (result.ok) return { kind: 'CHANGED', entry };
  return result.reason === 'SLACK_USER_TAKEN'
    ? { kind: 'SLACK_USER_TAKEN', message: result.message }
    : { kind: 'CONFLICT' };
}

function entitlementIssues(e: Entitlement): string[] {
  if ('role' in e)
    return Role.safeParse(e.role).success ? [] : [`role: must be one of ${Role.options.join(', ')}`];
  const [field, value] = 'desk' in e ? ['desk', e.desk] : ['account', e.account];
  const parsed = Identifier.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${field}: ${i.message}`);
}

function actorIssues(actor: string): string[] {
  const problem = actorProblem(actor);
  return problem === undefined ? [] : [`actor: ${problem}`];
}

function issuesOf(parsed: { success: boolean; error?: z.ZodError }): string[] {
  return parsed.error === undefined
    ? []
    : parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`);
}

function addTo<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? [...list] : [...list, value];
}

function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  for (const [k, v] of Object.entries(record)) if (v === undefined) delete record[k];
  return record;
}
