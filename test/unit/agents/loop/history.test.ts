import { describe, expect, it } from 'vitest';
import { fitHistory, wholeTurns } from '../../../../src/agents/loop/history.ts';
import type { Message } from '../../../../src/agents/model/types.ts';

const question = (text: string): Message => ({ role: 'user', content: [{ text }] });
const answer = (text: string): Message => ({ role: 'assistant', content: [{ text }] });
const uses = (...ids: string[]): Message => ({
  role: 'assistant',
  content: ids.map((toolUseId) => ({ toolUse: { toolUseId, name: 'get_trade_status', input: {} } })),
});
const results = (...ids: string[]): Message => ({
  role: 'user',
  content: ids.map((toolUseId) => ({
    toolResult: { toolUseId, content: [{ text: 'ok' }], status: 'success' as const },
  })),
});

/** A tool-using turn: question, tool use, tool result, answer. */
const toolTurn = (n: number): Message[] => [
  question(`q${n}`),
  uses(`t${n}`),
  results(`t${n}`),
  answer(`a${n}`),
];

describe('history by whole turns', () => {
  it('splits a thread into turns that start with a question and end with the answer', () => {
    const turns = wholeTurns([...toolTurn(1), question('q2'), answer('a2')]);

    expect(turns.map((t) => t.messages)).toStrictEqual([toolTurn(1), [question('q2'), answer('a2')]]);
  });

  it('leaves out what Converse would refuse: a leading answer or orphan tool result, a turn cut short', () => {
    const turns = wholeTurns([
      results('t0'),
      answer('a0'),
      ...toolTurn(1),
      question('q2'),
      uses('t2', 't3'),
      results('t2'),
      answer('a2'),
      question('q3'),
      uses('t4'),
    ]);

    expect(turns.map((t) => t.messages)).toStrictEqual([toolTurn(1)]);
  });

  it('drops blank text blocks, and a turn whose answer was blank', () => {
    const turns = wholeTurns([
      question('q1'),
      {
        role: 'assistant',
        content: [{ text: ' \n' }, { toolUse: { toolUseId: 't1', name: 'x', input: {} } }],
      },
      results('t1'),
      answer('a1'),
      question('q2'),
      answer('   '),
    ]);

    expect(turns.map((t) => t.messages)).toStrictEqual([
      [
        question('q1'),
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'x', input: {} } }] },
        results('t1'),
        answer('a1'),
      ],
    ]);
  });

  it('keeps the most recent turns that fit the turn and token limits, never part of one', () => {
    const turns = wholeTurns([1, 2, 3, 4, 5, 6, 7].flatMap(toolTurn));
    const perTurn = turns[0]?.tokens ?? 0;

    const byCount = fitHistory(turns, { maxTurns: 6 });
    const byTokens = fitHistory(turns, { maxTokens: perTurn * 2 + 1 });

    expect(byCount).toMatchObject({ turns: 7, dropped: 1 });
    expect(byCount.messages[0]).toStrictEqual(question('q2'));
    expect(byTokens).toMatchObject({ turns: 7, dropped: 5, tokens: perTurn * 2 });
    expect(byTokens.messages).toStrictEqual([...toolTurn(6), ...toolTurn(7)]);
    expect(fitHistory(turns, { maxTokens: perTurn - 1 }).messages).toStrictEqual([]);
  });
});
