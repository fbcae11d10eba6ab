import { SettleOpsError } from '../../errors.ts';

/** A builder was given data it cannot render within Slack's rules (bad time zone, oversized id). */
export class ViewInputError extends SettleOpsError {
  override readonly name = 'ViewInputError';
  readonly code = 'VIEW_INPUT';
}
