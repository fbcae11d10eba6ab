import { describe, expect, it } from 'vitest';
import {
  ACTION_IDS,
  alreadyDecidedEphemeral,
  CALLBACK_IDS,
  ourBlockKitProblems,
  parseRejectReasonMetadata,
  parseReviewButtonValue,
  REJECT_REASON_INPUT,
  refusalEphemeral,
  rejectReasonModal,
  reviewAlert,
  reviewDecidedAlert,
  ViewInputError,
} from '../../../../src/bot/views/index.ts';
import type { Match, Trade } from '../../../../src/settlement/index.ts';
import { aFieldResult, aMatch, aStoredTrade } from '../../../support/settlement-records.ts';
import { buttons, HOSTILE, wire } from '../../../support/slack-views.ts';

function aReview() {
  const internal = aStoredTrade({ status: 'PENDING_REVIEW' });
  const counterparty = aStoredTrade({
    tradeId: 'C-T-10042',
    source: 'COUNTERPARTY',
    side: 'SELL',
    netAmount: '101300.00',
    status: 'PENDING_REVIEW',
  });
  const match = aMatch({
    status: 'PENDING_REVIEW',
    confidence: 91,
    version: 3,
    fields: [
      aFieldResult(),
      aFieldResult({
        field: 'netAmount',
        ours: '101250.00',
        theirs: '101300.00',
        tolerance: '±2.00 USD',
        within: false,
        outcome: 'MISMATCH',
        penalty: 9,
        reasonCode: 'DMON',
      }),
    ],
  });
  return { match, internal, counterparty, rivals: [] as Match[], timeZone: 'America/New_York' };
}

function sectionTexts(message: { blocks: unknown[] }): string[] {
  return message.blocks.flatMap((b) => {
    const block = b as { type: string; text?: { text: string }; fields?: Array<{ text: string }> };
    if (block.type !== 'section') return [];
    return [
      ...(block.text === undefined ? [] : [block.text.text]),
      ...(block.fields ?? []).map((f) => f.text),
    ];
  });
}

describe('reviewAlert', () => {
  it('carries buttons labelled exactly Approve and Reject, naming the match and its version', () => {
    const message = reviewAlert(aReview());
    expect(buttons(message)).toStrictEqual([
      {
        text: 'Approve',
        action_id: ACTION_IDS.approve,
        style: 'primary',
        value: '{"matchId":"M-1","version":3}',
      },
      {
        text: 'Reject',
        action_id: ACTION_IDS.reject,
        style: 'danger',
        value: '{"matchId":"M-1","version":3}',
      },
    ]);
    expect(parseReviewButtonValue('{"matchId":"M-1","version":3}')).toStrictEqual({
      matchId: 'M-1',
      version: 3,
    });
    expect(parseReviewButtonValue('{"matchId":"M-1"}')).toBeUndefined();
    expect(parseReviewButtonValue('not json')).toBeUndefined();
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });

  it('shows both sides, the confidence, desk and trade date, and marks the differing field in bold', () => {
    const message = reviewAlert(aReview());
    expect(message.text).toBe('Match to review: T-10042 ↔ C-T-10042 (confidence 91, desk EQ-US)');
    const texts = sectionTexts(message);
    expect(texts).toContain('*Confidence*\n91 / 100');
    expect(texts).toContain('*Desk*\nEQ-US');
    expect(texts).toContain('*Trade date*\n2026-11-24');
    expect(texts.some((t) => t.startsWith('*Ours* · T-10042 · BUY'))).toBe(true);
    expect(texts.some((t) => t.startsWith('*Theirs* · C-T-10042 · SELL'))).toBe(true);
    expect(texts).toContain(
      '*Field by field* (ours vs theirs)\n' +
        ':white_check_mark: Price: 101.25\n' +
        ':warning: *Net amount*: ours *101,250.00* · theirs *101,300.00* — DMON, outside tolerance ±2.00 USD (−9 pts)',
    );
  });

  it('lists rivals of an ambiguous match', () => {
    const review = aReview();
    const rival = aMatch({
      matchId: 'M-2',
      counterpartyRef: 'COUNTERPARTY#C-9',
      confidence: 91,
      status: 'PENDING_REVIEW',
    });
    const texts = sectionTexts(reviewAlert({ ...review, rivals: [rival, review.match] }));
    expect(texts).toContain(
      ':twisted_rightwards_arrows: *Ambiguous:* 1 other candidate scored as well\n• M-2 with COUNTERPARTY#C-9 — confidence 91 (pending_review)',
    );
  });

  it('states the match’s creation in the desk’s time zone', () => {
    const ny = wire(reviewAlert(aReview()));
    expect(ny).toContain('raised Tue 24 Nov 2026 10:00 EST');
    const tokyo = wire(reviewAlert({ ...aReview(), timeZone: 'Asia/Tokyo' }));
    expect(tokyo).toContain('raised Wed 25 Nov 2026 00:00 GMT+9');
  });

  it('stays within the limits with 2,000-character fields, 100 rivals and mentions in the data', () => {
    const review = aReview();
    const long = `${HOSTILE}${'&'.repeat(2000)}`;
    const hostileTrade = (t: Trade): Trade => ({
      ...t,
      tradeId: long,
      account: long,
      desk: long,
      note: long,
      placeOfSettlement: long,
    });
    const match: Match = {
      ...review.match,
      desk: long,
      reviewReasons: Array.from({ length: 30 }, () => long),
      fields: Array.from({ length: 8 }, () =>
        aFieldResult({ ours: long, theirs: long, tolerance: long, outcome: 'RULE', rule: long, penalty: 1 }),
      ),
    };
    const rivals = Array.from({ length: 100 }, (_, i) => ({ ...review.match, matchId: `M-${i}${long}` }));
    const input = {
      ...review,
      match,
      internal: hostileTrade(review.internal),
      counterparty: hostileTrade(review.counterparty),
      rivals,
    };
    for (const message of [
      reviewAlert(input),
      reviewDecidedAlert({
        ...input,
        decision: 'REJECTED',
        decidedBy: long,
        decidedAt: '2026-11-24T19:05:00.000Z',
        reason: long,
      }),
    ]) {
      expect(ourBlockKitProblems(message)).toStrictEqual([]);
      expect(wire(message)).not.toMatch(/<!|<@|<#/);
    }
    expect(wire(reviewAlert(input))).toContain('… (95 more, ask for the full list)');
  });

  it('refuses a match id too long for a button value instead of sending a broken button', () => {
    const review = aReview();
    expect(() => reviewAlert({ ...review, match: { ...review.match, matchId: 'm'.repeat(2000) } })).toThrow(
      ViewInputError,
    );
  });
});

describe('reviewDecidedAlert', () => {
  it('shows the same content without buttons, and who decided at what time in the desk’s zone', () => {
    const review = aReview();
    const message = reviewDecidedAlert({
      ...review,
      decision: 'APPROVED',
      decidedBy: 'Ana Ops',
      decidedAt: '2026-11-24T19:05:00.000Z',
      blockIdSuffix: 'd1',
    });
    expect(buttons(message)).toStrictEqual([]);
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(message.blocks.at(-1)).toStrictEqual({
      type: 'section',
      block_id: 'review_decision.d1',
      text: {
        type: 'mrkdwn',
        text: ':white_check_mark: *Approved by Ana Ops at 14:05 (EST)*',
        verbatim: true,
      },
    });
    expect(message.text).toBe('Approved: T-10042 ↔ C-T-10042. Approved by Ana Ops at 14:05 (EST)');
    // The alert's content is kept: the comparison is still there.
    expect(sectionTexts(message)).toStrictEqual(
      sectionTexts(reviewAlert(review)).concat([':white_check_mark: *Approved by Ana Ops at 14:05 (EST)*']),
    );
    expect(message.blocks.every((b) => b.block_id?.endsWith('.d1'))).toBe(true);
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });

  it('shows a rejection with its reason', () => {
    const message = reviewDecidedAlert({
      ...aReview(),
      decision: 'REJECTED',
      decidedBy: 'Ben',
      decidedAt: '2026-07-01T08:30:00.000Z',
      timeZone: 'Europe/London',
      reason: 'wrong record:\n<@U1> booked it twice',
    });
    expect(wire(message.blocks.at(-1))).toContain(
      ':x: *Rejected by Ben at 09:30 (GMT+1)*\\n*Reason:* wrong record: &lt;@U1&gt; booked it twice',
    );
  });

  it('refuses a time zone that is not IANA, naming the field', () => {
    expect(() =>
      reviewDecidedAlert({
        ...aReview(),
        timeZone: 'Mars/Olympus',
        decision: 'APPROVED',
        decidedBy: 'A',
        decidedAt: '2026-11-24T19:05:00.000Z',
      }),
    ).toThrow('timeZone: "Mars/Olympus" is not an IANA time zone');
    expect(() =>
      reviewDecidedAlert({ ...aReview(), decision: 'APPROVED', decidedBy: 'A', decidedAt: 'yesterday' }),
    ).toThrow('decidedAt: "yesterday" is not an ISO 8601 instant');
  });
});

describe('the ephemerals', () => {
  it('tell a late clicker who decided and when', () => {
    const message = alreadyDecidedEphemeral({
      decision: 'APPROVED',
      decidedBy: 'Ana Ops',
      decidedAt: '2026-11-24T19:05:00.000Z',
      timeZone: 'America/New_York',
    });
    expect(message.text).toBe(
      'This match was already approved by Ana Ops at 14:05 (EST). Nothing was changed.',
    );
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });

  it('tell a refused clicker why', () => {
    expect(refusalEphemeral('you need the approver role.').text).toBe(
      'Not done: you need the approver role. Nothing was changed.',
    );
    const hostile = refusalEphemeral(HOSTILE.repeat(200));
    expect(ourBlockKitProblems(hostile)).toStrictEqual([]);
    expect(wire(hostile)).not.toMatch(/<!|<@/);
  });
});

describe('rejectReasonModal', () => {
  it('asks for a 3–500 character reason and carries the match and the message to update', () => {
    const view = rejectReasonModal({ matchId: 'M-1', version: 3, channel: 'C1', ts: '1700000000.000100' });
    expect(view.callback_id).toBe(CALLBACK_IDS.rejectReason);
    expect(parseRejectReasonMetadata(view.private_metadata ?? '')).toStrictEqual({
      matchId: 'M-1',
      version: 3,
      channel: 'C1',
      ts: '1700000000.000100',
    });
    expect(view.blocks[1]).toMatchObject({
      type: 'input',
      block_id: REJECT_REASON_INPUT.blockId,
      element: {
        type: 'plain_text_input',
        action_id: REJECT_REASON_INPUT.actionId,
        multiline: true,
        min_length: 3,
        max_length: 500,
      },
    });
    expect(ourBlockKitProblems(view)).toStrictEqual([]);
  });

  it('refuses metadata over 3000 characters', () => {
    expect(() =>
      rejectReasonModal({ matchId: 'm'.repeat(3000), version: 1, channel: 'C1', ts: '1' }),
    ).toThrow(/private_metadata: too long/);
  });
});
