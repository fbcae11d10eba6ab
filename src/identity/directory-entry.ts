import { z } from 'zod';
import { Identifier, IsoDateTime } from '../settlement/index.ts';
import { Role } from './principal.ts';
import { PrincipalId } from './principal-id.ts';

/** A Slack workspace and user id (`T…`, `U…`): upper-case letters and digits. */
const SlackId = z
  .string()
  .min(1, 'is empty')
  .max(32, 'is longer than 32 characters')
  .regex(/^[A-Z0-9]+$/, 'may hold only upper-case letters and digits');

export const SlackUser = z.object({ teamId: SlackId, userId: SlackId }).strict();
export type SlackUser = z.infer<typeof SlackUser>;

/**
 * A person in the principal directory: who they are (principal id, display name, optionally their
 * Slack user and corporate IdP subject) and what they may do (roles, desks, accounts). `'*'` desks or
 * accounts mean all of them. A removed entry stays as a tombstone (`status: REMOVED`) so its audit
 * chain keeps its head; it no longer resolves.
 */
export const DirectoryEntry = z
  .object({
    principalId: PrincipalId,
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(Role).min(1).max(3),
    desks: z.union([z.literal('*'), z.array(Identifier).max(200)]),
    accounts: z.union([z.literal('*'), z.array(Identifier).max(1000)]),
    slack: SlackUser.optional(),
    /** The person's subject at the corporate identity provider (`sub` claim). */
    idpSubject: z.string().min(1).max(255).optional(),
    status: z.enum(['ACTIVE', 'REMOVED']),
    updatedAt: IsoDateTime,
    /** Length of the entry's audit chain (one record per change). */
    version: z.number().int().positive(),
    auditHash: z.string().length(64),
  })
  .strict();
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** The audit entity id of a directory entry. */
export function directoryEntityId(principalId: string): string {
  return `PRINCIPAL#${principalId}`;
}
