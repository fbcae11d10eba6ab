import { describe, expect, it } from 'vitest';
import { readEventStream } from '../../../../src/agents/client/agent-runtime-invoker.ts';
import { parseSse, SseParser } from '../../../../src/agents/client/sse.ts';
import type { AgentEvent } from '../../../../src/agents/contract.ts';

const done = {
  type: 'done',
  response: {
    answer: 'T-10042 is matched.',
    records: [{ kind: 'trade', id: 'T-10042' }],
    traceId: 'tr-1',
    answeredBy: 'offline-planner',
  },
};

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

describe('SseParser', () => {
  it('parses data, event and id fields and skips comments', () => {
    expect(
      parseSse(': heartbeat\n\nevent: error\nid: 7\ndata: {"error":"x"}\n\ndata: plain\n\n'),
    ).toStrictEqual([
      { data: '{"error":"x"}', event: 'error', id: '7' },
      { data: 'plain', id: '7' },
    ]);
  });

  it('joins multi-line data and accepts CRLF and fields without a space', () => {
    expect(parseSse('data:one\r\ndata: two\r\n\r\n')).toStrictEqual([{ data: 'one\ntwo' }]);
  });

  it('returns events only once complete, whatever the chunking', () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()];
      expect(events).toStrictEqual([{ data: '{"a":1}' }, { data: '{"b":2}' }]);
    }
  });

  it('dispatches an unterminated last event at the end', () => {
    const p = new SseParser();
    expect(p.push('data: last')).toStrictEqual([]);
    expect(p.end()).toStrictEqual([{ data: 'last' }]);
  });
});

describe('readEventStream', () => {
  it('surfaces every event and returns the final response', async () => {
    const seen: AgentEvent[] = [];
    const body = `data: {"type":"progress","message":"looking up trade…"}\n\ndata: {"type":"text","delta":"T-10042"}\n\ndata: ${JSON.stringify(done)}\n\n`;
    // A multi-byte character cut between chunks must survive.
    const cut = body.indexOf('…') + 1;
    const bytes = new TextEncoder().encode(body);
    const split = new TextEncoder().encode(body.slice(0, cut)).length - 1;
    async function* raw(): AsyncGenerator<Uint8Array> {
      yield bytes.slice(0, split);
      yield bytes.slice(split);
    }
    const response = await readEventStream(raw(), (e) => seen.push(e));
    expect(response).toStrictEqual(done.response);
    expect(seen).toStrictEqual([
      { type: 'progress', message: 'looking up trade…' },
      { type: 'text', delta: 'T-10042' },
      done,
    ]);
  });

  it('turns an SSE error event into an error', async () => {
    await expect(readEventStream(chunks('event: error\ndata: {"error":"boom"}\n\n'))).rejects.toThrow(
      'the agent failed: boom',
    );
  });

  it('refuses a stream without a final answer', async () => {
    await expect(readEventStream(chunks('data: {"type":"progress","message":"…"}\n\n'))).rejects.toThrow(
      'ended without a final answer',
    );
  });

  it('refuses events that are not AgentEvents', async () => {
    await expect(readEventStream(chunks('data: {"type":"other"}\n\n'))).rejects.toThrow('unexpected event');
  });
});
