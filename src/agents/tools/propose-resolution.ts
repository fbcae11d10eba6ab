import { createHash } from 'node:crypto';
import { z } from 'zod';
import { mayViewDesk } from '../../identity/index.ts';
import { isOpen } from '../../settlement/index.ts';
import { defineTool } from './define-tool.ts';
import { invalidInput, notFoundOrNotPermitted } from './entitlements.ts';
import { type Instant, instant } from './time.ts';
import { idOfRef } from './views.ts';

export const Proposal = z.enum([
  'REQUEST_COUNTERPARTY_AMENDMENT',
  'AMEND_OUR_BOOKING',
  'ACCEPT_WITHIN_TOLERANCE',
  'ESCALATE_TO_DESK',
]);
export type Proposal = z.infer<typeof Proposal>;

const WHAT: Record<Proposal, string> = {
  REQUEST_COUNTERPARTY_AMENDMENT: 'ask the counterparty to amend and re-send its record',
  AMEND_OUR_BOOKING: 'amend our booking to agree with the counterparty',
  ACCEPT_WITHIN_TOLERANCE: 'accept the difference as immaterial and resolve the exception',
  ESCALATE_TO_DESK: 'escalate the break to the trading desk',
};

/**
 * An approval request for a human: the agent never applies a resolution. The Slack step renders it
 * as a message with Approve / Reject buttons; an approver other than the requester (four eyes)
 * decides, and only then does a deterministic service change state.
 */
export interface ApprovalRequest {
  readonly kind: 'APPROVAL_REQUEST';
  /** Deterministic: the same person proposing the same thing for the same exception version gets the same id. */
  readonly id: string;
  readonly status: 'AWAITING_HUMAN_APPROVAL';
  readonly requestedBy: string;
  readonly requestedAt: Instant;
  readonly what: {
    readonly action: Proposal;
    readonly summary: string;
    readonly exceptionId: string;
    readonly exceptionVersion: number;
    readonly tradeId: string;
    readonly desk: string;
  };
  readonly why: string;
  readonly approval: { readonly requiredRole: 'approver'; readonly fourEyes: string };
}

export const proposeResolution = defineTool({
  name: 'propose_resolution',
  description:
    'Proposes how to resolve an open exception. It never changes anything: it returns an approval ' +
    'request that an approver (not the proposer) must approve on its Slack message before any ' +
    'deterministic service acts on it. Proposals: REQUEST_COUNTERPARTY_AMENDMENT, AMEND_OUR_BOOKING, ' +
    'ACCEPT_WITHIN_TOLERANCE, ESCALATE_TO_DESK.',
  input: z
    .object({
      exceptionId: z.string().trim().min(3).max(200).describe('Exception id, e.g. X|INTERNAL#T-10042|price.'),
      proposal: Proposal,
      note: z.string().trim().min(1).max(500).describe('Why: the reasoning a reviewer needs.'),
    })
    .strict(),
  // A proposal starts a state-changing flow, so it is reviewed as a write even though the tool
  // itself writes nothing; any entitled user may propose.
  risk: 'write',
  requiredRole: 'viewer',
  sessionCallCap: 5,
  auditLevel: 'full',
  async execute(input, ctx) {
    const e = await ctx.settlement.store.getException(input.exceptionId);
    if (e === undefined || !mayViewDesk(ctx.principal, e.desk))
      return notFoundOrNotPermitted('exception', input.exceptionId);
    if (!isOpen(e))
      return invalidInput(`Exception ${e.exceptionId} is ${e.status}: there is nothing to resolve.`);
    const requestedBy = `principal:${ctx.principal.principalId}`;
    const id = `AR|${createHash('sha256')
      .update(JSON.stringify([e.exceptionId, e.version, input.proposal, requestedBy]))
      .digest('hex')
      .slice(0, 20)}`;
    const request: ApprovalRequest = {
      kind: 'APPROVAL_REQUEST',
      id,
      status: 'AWAITING_HUMAN_APPROVAL',
      requestedBy,
      requestedAt: instant(ctx.settlement.now().toISOString()),
      what: {
        action: input.proposal,
        summary: `${WHAT[input.proposal]} (${e.reasonCode} ${e.type} on ${idOfRef(e.tradeRef)})`,
        exceptionId: e.exceptionId,
        exceptionVersion: e.version,
        tradeId: idOfRef(e.tradeRef),
        desk: e.desk,
      },
      why: input.note,
      approval: {
        requiredRole: 'approver',
        fourEyes: 'An approver other than the requester decides with Approve/Reject on the Slack message.',
      },
    };
    return { ok: true, data: request, records: [{ kind: 'exception', id: e.exceptionId }] };
  },
});
