import type { ApprovalCheck, ApprovalGate, Match, Trade } from '../settlement/index.ts';
import { canApprove } from './can-approve.ts';
import { lookupPrincipal } from './directory-admin.ts';
import type { PrincipalDirectory } from './principal-directory.ts';

/**
 * The approval gate `decideReview` asks: the decider must be an active principal of the directory
 * (an unknown id is refused, never treated as a default identity), then pass `canApprove`.
 */
export function directoryApprovalGate(directory: PrincipalDirectory): ApprovalGate {
  return {
    async check(principalId: string, match: Match, trades: readonly Trade[]): Promise<ApprovalCheck> {
      const principal = await lookupPrincipal(directory, principalId);
      if (principal === undefined) {
        return {
          ok: false,
          reason: 'UNKNOWN_APPROVER',
          message: `${principalId} is not in the principal directory`,
        };
      }
      return canApprove(principal, match, trades);
    },
  };
}
