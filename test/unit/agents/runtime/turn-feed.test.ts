import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentResponse } from '../../../../src/agents/contract.ts';
import { type TurnEnd, TurnFeed } from '../../../../src/agents/runtime/turn-feed.ts';

const response: AgentResponse = { answer: 'done.', records: [], traceId: 'tr-1', answeredBy: 'fixture' };

/** A turn of two progress events then the answer, each step waiting for `step()`. */
function steppedTurn() {
  const gates: (() => void)[] = [];
  const next = () =>
    new Promise<void>((r) => {
      gates.push(r);
    });
  const produced: string[] = [];
  async function* turn(): AsyncGenerator<AgentEvent> {
    for (const message of ['one', 'two']) {
      await next();
      produced.push(message);
      yield { type: 'progress', message };
    }
    await next();
    produced.push('done');
    yield { type: 'done', response };
  }
  return {
    turn,
    produced,
    step: async () => {
      while (gates.length === 0) await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    },
  };
}

describe('TurnFeed', () => {
  it('runs the turn to its end after its listener left, and settles once before the final event', async () => {
    const stepped = steppedTurn();
    const ends: TurnEnd[] = [];
    let settled: () => void = () => {};
    const whenSettled = new Promise<void>((r) => {
      settled = r;
    });
    const feed = new TurnFeed(stepped.turn(), async (end) => {
      ends.push(end);
      settled();
      return undefined;
    });
    const listener = feed.events();
    await stepped.step();
    expect(await listener.next()).toStrictEqual({ done: false, value: { type: 'progress', message: 'one' } });
    await listener.return(undefined);
    await stepped.step();
    await stepped.step();
    await whenSettled;
    expect(stepped.produced).toStrictEqual(['one', 'two', 'done']);
    expect(ends).toStrictEqual([{ ok: true, response }]);
    // A late listener still reads the whole turn, ending with `done`.
    const all: AgentEvent[] = [];
    for await (const e of feed.events()) all.push(e);
    expect(all).toStrictEqual([
      { type: 'progress', message: 'one' },
      { type: 'progress', message: 'two' },
      { type: 'done', response },
    ]);
  });

  it('ends a failed turn with the safe error `finish` returns', async () => {
    async function* failing(): AsyncGenerator<AgentEvent> {
      yield { type: 'progress', message: 'one' };
      throw new Error('secret internals');
    }
    const feed = new TurnFeed(failing(), async () => new Error('internal error; see the logs'));
    const seen: AgentEvent[] = [];
    const error = await (async () => {
      for await (const e of feed.events()) seen.push(e);
    })().catch((e: unknown) => e);
    expect(seen).toStrictEqual([{ type: 'progress', message: 'one' }]);
    expect((error as Error).message).toBe('internal error; see the logs');
  });
});
