import type { AuditRecord } from '../settlement/index.ts';
import type { DirectoryEntry, SlackUser } from './directory-entry.ts';

/** One change to the directory: the entry's next state, sealed, and the audit record of the change. */
export interface DirectoryWrite {
  readonly entry: DirectoryEntry;
  readonly audit: AuditRecord;
  /** The stored state this change was based on; absent for a principal never stored before. */
  readonly previous?: DirectoryEntry;
}

export type DirectoryWriteResult =
  | { readonly ok: true }
  /** Someone changed the entry first (its version moved on): nothing written. */
  | { readonly ok: false; readonly reason: 'CONFLICT'; readonly message: string }
  /** The Slack user already belongs to another principal: nothing written. */
  | { readonly ok: false; readonly reason: 'SLACK_USER_TAKEN'; readonly message: string };

/**
 * The principal directory port: who may use SettleOps and with what roles, desks and accounts.
 * Changes are conditional on the version read and carry their audit record, written together.
 */
export interface PrincipalDirectory {
  /** The stored entry, removed ones (tombstones) included; callers resolving a person want `status: ACTIVE`. */
  get(principalId: string): Promise<DirectoryEntry | undefined>;
  /** The active entry a Slack user maps to. */
  findBySlackUser(slack: SlackUser): Promise<DirectoryEntry | undefined>;
  /** Every active entry, by principal id. */
  list(): Promise<DirectoryEntry[]>;
  /** Creates or replaces an entry (and its Slack mapping) with its audit record, or nothing. */
  put(change: DirectoryWrite): Promise<DirectoryWriteResult>;
  /** Writes the tombstone `change.entry` (status REMOVED) and drops the Slack mapping, or nothing. */
  remove(change: DirectoryWrite): Promise<DirectoryWriteResult>;
}
