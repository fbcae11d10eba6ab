import type { FactCategory } from '../facts.ts';
import type { SessionEvent } from '../session-memory.ts';

/** A fact an extractor proposes from one user turn, before screening and curation. */
export interface CandidateFact {
  readonly category: FactCategory;
  /** A clean standalone sentence (the rule extractor writes it in the second person). */
  readonly text: string;
  /** The USER event the fact was stated in. */
  readonly sourceEventId: string;
}

/**
 * What an extractor found. `error` says why nothing could be extracted (a model reply that was not
 * valid JSON, a call that failed) in words fit for a log: never the model's own text.
 */
export interface FactExtraction {
  readonly facts: readonly CandidateFact[];
  readonly error?: string;
}

/**
 * The fact-extraction port of explicit consolidation (seed 004's ADR: no automatic extraction, only
 * curated facts the person stated as lasting). Adapters: `RuleFactExtractor` (the offline planner's
 * rules) and `ModelFactExtractor` (one model call). Only USER events are sources: what the assistant
 * said is never kept, and an extractor ignores every other event it is given.
 */
export interface FactExtractor {
  extract(input: {
    readonly principalId: string;
    readonly events: readonly SessionEvent[];
  }): Promise<FactExtraction>;
}

/** The events an extractor may draw facts from: the person's own turns, in order. */
export function userTurns(events: readonly SessionEvent[]): SessionEvent[] {
  return events.filter((e) => e.role === 'USER');
}
