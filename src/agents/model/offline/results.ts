import { isUntrustedMarker } from '../../guardrails/untrusted-data.ts';
import type { RecordRef } from '../../tools/tool.ts';
import type { Message } from '../types.ts';

/** One tool call of the current turn with what came back, as the planner reads it. */
export type CallResult =
  | {
      readonly name: string;
      readonly input: unknown;
      readonly ok: true;
      readonly data: unknown;
      readonly records: readonly RecordRef[];
    }
  | {
      readonly name: string;
      readonly input: unknown;
      readonly ok: false;
      readonly code: string;
      readonly message: string;
    };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isRecordRef(v: unknown): v is RecordRef {
  return isRecord(v) && typeof v.kind === 'string' && typeof v.id === 'string';
}

/**
 * The tool results after the turn's question, paired with the calls that produced them. Accepts a
 * result holding a whole tool outcome (`{ ok, data, records }` or `{ ok: false, code, message }`),
 * bare data, or text (JSON or a plain error message).
 */
export function readTurn(messages: readonly Message[]): {
  question: string;
  results: CallResult[];
  steps: number;
} {
  let start = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (
      m?.role === 'user' &&
      m.content.some((b) => 'text' in b) &&
      !m.content.some((b) => 'toolResult' in b)
    ) {
      start = i;
      break;
    }
  }
  const questionMessage = messages[start];
  const question =
    questionMessage === undefined
      ? ''
      : questionMessage.content.flatMap((b) => ('text' in b ? [b.text] : [])).join('\n');
  const calls = new Map<string, { name: string; input: unknown }>();
  const results: CallResult[] = [];
  let steps = 0;
  for (const m of messages.slice(start + 1)) {
    if (m.role === 'assistant' && m.content.some((b) => 'toolUse' in b)) steps++;
    for (const b of m.content) {
      if ('toolUse' in b) calls.set(b.toolUse.toolUseId, { name: b.toolUse.name, input: b.toolUse.input });
      if ('toolResult' in b) {
        const call = calls.get(b.toolResult.toolUseId) ?? { name: 'unknown', input: undefined };
        results.push(readResult(call, b.toolResult.status, b.toolResult.content));
      }
    }
  }
  return { question, results, steps };
}

function readResult(
  call: { name: string; input: unknown },
  status: 'success' | 'error',
  content: ReadonlyArray<{ readonly json: unknown } | { readonly text: string }>,
): CallResult {
  let value: unknown;
  // The data block, not the untrusted-data markers around it.
  const blocks = content.filter((c) => 'json' in c || !isUntrustedMarker(c.text));
  for (const c of blocks) {
    if ('json' in c) {
      value = c.json;
      break;
    }
    try {
      value = JSON.parse(c.text);
    } catch {
      value = c.text;
    }
    break;
  }
  if (isRecord(value) && typeof value.ok === 'boolean') {
    if (value.ok) {
      const records = Array.isArray(value.records) ? value.records.filter(isRecordRef) : [];
      return { ...call, ok: true, data: value.data, records };
    }
    return {
      ...call,
      ok: false,
      code: typeof value.code === 'string' ? value.code : 'FAILED',
      message: typeof value.message === 'string' ? value.message : 'the tool failed',
    };
  }
  if (status === 'error') {
    const message =
      typeof value === 'string'
        ? value
        : isRecord(value) && typeof value.message === 'string'
          ? value.message
          : 'the tool failed';
    // The loop sends a failed tool as `{ error: CODE, message }`.
    const code =
      isRecord(value) && typeof value.code === 'string'
        ? value.code
        : isRecord(value) && typeof value.error === 'string'
          ? value.error
          : /permitted to see/.test(message)
            ? 'NOT_FOUND_OR_NOT_PERMITTED'
            : 'FAILED';
    return { ...call, ok: false, code, message };
  }
  return { ...call, ok: true, data: value, records: [] };
}
