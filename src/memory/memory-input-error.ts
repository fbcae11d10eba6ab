import { SettleOpsError } from '../errors.ts';

/**
 * A memory call refused before anything was sent or written: `field` names the offending input
 * (`actorId`, `facts[2].text`, …) and the message says what is wrong with it.
 */
export class MemoryInputError extends SettleOpsError {
  override readonly name = 'MemoryInputError';
  readonly code = 'MEMORY_INPUT';

  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}
