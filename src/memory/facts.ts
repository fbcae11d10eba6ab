import { z } from 'zod';

/**
 * What a long-term fact is about. Each category has its own lifetime (`FACT_TTL_DAYS`): a standing
 * instruction outlives a counterparty note.
 */
export const FactCategory = z.enum([
  'preference',
  'responsibility',
  'standing_instruction',
  'counterparty_note',
]);
export type FactCategory = z.infer<typeof FactCategory>;

/** Days a fact of each category is kept after it was last stated. */
export const FACT_TTL_DAYS: Readonly<Record<FactCategory, number>> = {
  preference: 365,
  responsibility: 180,
  standing_instruction: 365,
  counterparty_note: 90,
};

/** The longest fact text kept (characters). */
export const MAX_FACT_LENGTH = 500;

/** A curated long-term fact of one principal, kept under `/users/{principalId}/facts`. */
export interface MemoryFact {
  /** Stable id (`f-` + 26 characters), unique within the principal's namespace. */
  readonly factId: string;
  readonly principalId: string;
  readonly category: FactCategory;
  /** The fact in the person's terms, third person or first ("covers the EUR repo desk on Fridays"). */
  readonly text: string;
  /** Where it came from: the session and the event (turn) it was stated in. */
  readonly source: { readonly sessionId: string; readonly eventId: string };
  /** ISO-8601 instants. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When it is forgotten unless restated (ISO-8601). */
  readonly expiresAt: string;
}
