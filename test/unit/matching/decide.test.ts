import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MATCHING_POLICY,
  decide,
  type ScoredCandidate,
} from '../../../src/settlement/matching/index.ts';

const policy = DEFAULT_MATCHING_POLICY;

function candidate(ref: string, confidence: number): ScoredCandidate {
  return { ref, confidence, fields: [] };
}

describe('decide', () => {
  it('reports no candidate for an empty list', () => {
    expect(decide([], policy)).toStrictEqual({ kind: 'NO_CANDIDATE' });
  });

  it.each([
    [100, 'AUTO_MATCH'],
    [98, 'AUTO_MATCH'],
    [97, 'REVIEW'],
    [85, 'REVIEW'],
    [84, 'EXCEPTION'],
    [50, 'EXCEPTION'],
    [49, 'NO_CANDIDATE'],
    [0, 'NO_CANDIDATE'],
  ] as const)('decides a lone candidate at %i as %s', (confidence, kind) => {
    const best = candidate('C#1', confidence);
    const expected =
      kind === 'NO_CANDIDATE'
        ? { kind }
        : kind === 'REVIEW'
          ? { kind, best, ambiguousWith: [] }
          : { kind, best };
    expect(decide([best], policy)).toStrictEqual(expected);
  });

  it('picks the highest confidence', () => {
    const best = candidate('C#2', 99);
    expect(decide([candidate('C#1', 80), best, candidate('C#3', 90)], policy)).toStrictEqual({
      kind: 'AUTO_MATCH',
      best,
    });
  });

  it('never auto-matches two equally good candidates: review, listing the other', () => {
    const a = candidate('C#a', 100);
    const b = candidate('C#b', 100);
    const expected = { kind: 'REVIEW', best: a, ambiguousWith: ['C#b'] };
    expect(decide([a, b], policy)).toStrictEqual(expected);
    expect(decide([b, a], policy)).toStrictEqual(expected);
  });

  it('orders ties by ref and lists every equal candidate', () => {
    const decision = decide(
      [candidate('C#z', 98), candidate('C#m', 98), candidate('C#a', 98), candidate('C#q', 97)],
      policy,
    );
    expect(decision).toStrictEqual({
      kind: 'REVIEW',
      best: candidate('C#a', 98),
      ambiguousWith: ['C#m', 'C#z'],
    });
  });

  it('applies the ambiguity margin', () => {
    const p = { thresholds: { ...policy.thresholds, ambiguityMargin: 2 } };
    expect(decide([candidate('C#1', 100), candidate('C#2', 98)], p)).toStrictEqual({
      kind: 'REVIEW',
      best: candidate('C#1', 100),
      ambiguousWith: ['C#2'],
    });
    expect(decide([candidate('C#1', 100), candidate('C#2', 97)], p)).toStrictEqual({
      kind: 'AUTO_MATCH',
      best: candidate('C#1', 100),
    });
  });

  it('keeps an ambiguous best below the review threshold an exception', () => {
    expect(decide([candidate('C#1', 70), candidate('C#2', 70)], policy)).toStrictEqual({
      kind: 'EXCEPTION',
      best: candidate('C#1', 70),
    });
  });

  it('refuses thresholds where review is not below auto-match', () => {
    const bad = { thresholds: { autoMatch: 90, review: 90, ambiguityMargin: 0, candidateFloor: 50 } };
    expect(() => decide([candidate('C#1', 95)], bad)).toThrow(/review threshold \(90\) must be below/);
  });
});

describe('the candidate floor', () => {
  const thresholds = { autoMatch: 98, review: 85, ambiguityMargin: 0, candidateFloor: 50 };

  it('treats a candidate below the floor as no candidate at all', () => {
    expect(decide([candidate('C#1', 49)], { thresholds })).toStrictEqual({ kind: 'NO_CANDIDATE' });
  });

  it('keeps a candidate exactly at the floor as an exception', () => {
    expect(decide([candidate('C#1', 50)], { thresholds })).toStrictEqual({
      kind: 'EXCEPTION',
      best: candidate('C#1', 50),
    });
  });

  it('ignores an implausible candidate when weighing ambiguity', () => {
    expect(
      decide([candidate('C#1', 100), candidate('C#2', 30)], {
        thresholds: { ...thresholds, ambiguityMargin: 80 },
      }),
    ).toStrictEqual({
      kind: 'AUTO_MATCH',
      best: candidate('C#1', 100),
    });
  });
});
