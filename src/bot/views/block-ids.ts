import { ViewInputError } from './view-input-error.ts';

const SUFFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * A block_id: `base`, or `base.suffix` when the caller wants fresh ids (an updated message must not
 * reuse the block_ids of the one it replaces, or Slack keeps stale input state).
 */
export function blockId(base: string, suffix: string | undefined): string {
  if (suffix === undefined) return base;
  if (!SUFFIX.test(suffix))
    throw new ViewInputError('blockIdSuffix: must be 1–64 characters of letters, digits and _ . : -');
  return `${base}.${suffix}`;
}
