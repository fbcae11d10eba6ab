import { z } from 'zod';
import { PrincipalId } from '../identity/principal-id.ts';

/** Roles, least to most powerful. */
export const Role = z.enum(['viewer', 'approver', 'admin']);
export type Role = z.infer<typeof Role>;

/**
 * Who is asking, with what they may see. `desks: '*'` means every desk (admins, the local default).
 * The identity step fills this from the principal directory and a verified workload token; until
 * then callers pass it in the invocation request.
 */
export const Principal = z.object({
  /** Canonical (NFKC, trimmed, lower-case; see src/identity/principal-id.ts): `ALICE` arrives as `alice`. */
  principalId: PrincipalId,
  displayName: z.string().max(200).optional(),
  roles: z.array(Role).min(1),
  desks: z.union([z.literal('*'), z.array(z.string().min(1)).max(200)]),
  /** Accounts whose numbers may be shown in full; others are masked to their last four characters. */
  accounts: z.union([z.literal('*'), z.array(z.string().min(1)).max(1000)]).default([]),
});
export type Principal = z.infer<typeof Principal>;

const RANK: Record<Role, number> = { viewer: 0, approver: 1, admin: 2 };

/** True when the principal holds `role` or a stronger one. */
export function hasRole(p: Pick<Principal, 'roles'>, role: Role): boolean {
  return p.roles.some((r) => RANK[r] >= RANK[role]);
}

export function mayViewDesk(p: Pick<Principal, 'desks'>, desk: string): boolean {
  return p.desks === '*' || p.desks.includes(desk);
}

export function mayViewAccount(p: Pick<Principal, 'accounts'>, account: string): boolean {
  return p.accounts === '*' || p.accounts.includes(account);
}

/** The local default: an administrator entitled to every desk (`settleops ask` without flags). */
export const LOCAL_ADMIN: Principal = {
  principalId: 'local-admin',
  displayName: 'Local administrator',
  roles: ['admin'],
  desks: '*',
  accounts: '*',
};
