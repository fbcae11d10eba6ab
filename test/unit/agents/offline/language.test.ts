import { describe, expect, it } from 'vitest';
import {
  classify,
  hasPhrase,
  VOCABULARY,
  wordMatches,
} from '../../../../src/agents/model/offline/intents.ts';
import { editDistance, readQuestion } from '../../../../src/agents/model/offline/language.ts';

const none = { trades: 0, exceptions: 0, matches: 0, isins: 0, bics: 0, desks: 0 };
const oneTrade = { ...none, trades: 1 };

describe('reading a question', () => {
  it('spells out ops shorthand and contractions', () => {
    expect(
      readQuestion("why hasn't the cpty sent qty and px for the SSI", [], VOCABULARY).words,
    ).toStrictEqual([
      'why',
      'has',
      'not',
      'the',
      'counterparty',
      'sent',
      'quantity',
      'and',
      'price',
      'for',
      'the',
      'settlement',
      'instruction',
    ]);
  });

  it('corrects a near miss of a vocabulary word and leaves everyday words alone', () => {
    expect(readQuestion('staus of exceptoins reprot where', [], VOCABULARY).words).toStrictEqual([
      'status',
      'of',
      'exceptions',
      'report',
      'where',
    ]);
  });

  it('takes the entities out before reading the words', () => {
    expect(readQuestion('status of h4-int', ['h4-int'], VOCABULARY).words).toStrictEqual(['status', 'of']);
  });

  it('measures edits, a swap of neighbours being one', () => {
    expect(editDistance('exceptoin', 'exception', 2)).toBe(1);
    expect(editDistance('status', 'staus', 1)).toBe(1);
    expect(editDistance('report', 'trade', 1)).toBe(2);
  });
});

describe('the intent vocabulary', () => {
  it('matches a cue word in its inflections only', () => {
    expect(['matched', 'matching', 'matches'].every((w) => wordMatches(w, 'match'))).toBe(true);
    expect(wordMatches('breach', 'break')).toBe(false);
    expect(wordMatches('approval', 'approve')).toBe(true);
    expect(wordMatches('broker', 'broken')).toBe(false);
    expect(wordMatches('statistics', 'state')).toBe(false);
  });

  it('finds a phrase with one word between its words, not two', () => {
    expect(hasPhrase(['has', 'not', 'yet', 'matched'], 'not match')).toBe(true);
    expect(hasPhrase(['not', 'been', 'fully', 'matched'], 'not match')).toBe(false);
  });

  it.each([
    ['why is it not matched', oneTrade, 'why'],
    ['is it stuck', oneTrade, 'why'],
    ['is there a duplicate', oneTrade, 'duplicate'],
    ['who approves this', oneTrade, 'pending_reviews'],
    ['what is waiting for approval', none, 'pending_reviews'],
    ['list sla breaches', none, 'open_exceptions'],
    ['stp rate', none, 'report'],
    ['change log', oneTrade, 'audit'],
  ])('reads "%s" as %s', (question, entities, intent) => {
    expect(classify(question, [], entities).result).toMatchObject({ kind: 'intent', intent });
  });

  it('reads a bare trade id as a status question', () => {
    expect(classify('', [], oneTrade).result).toMatchObject({ kind: 'intent', intent: 'status' });
  });

  it('finds nothing in a greeting', () => {
    expect(classify('hello there', [], none).result).toMatchObject({ kind: 'none', likely: undefined });
  });

  it('reports a tie between two readings', () => {
    expect(classify('summary of breaks', [], none).result).toMatchObject({
      kind: 'tie',
      intents: ['open_exceptions', 'report'],
    });
  });
});
