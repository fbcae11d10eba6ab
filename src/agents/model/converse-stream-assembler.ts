import type {
  ConverseCommandOutput,
  ConverseStreamOutput,
  ContentBlock as SdkContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { IncompleteStreamError } from './bedrock-errors.ts';
import { type DocumentType, toDocument } from './converse-request.ts';
import type { ConverseResult } from './converse-response.ts';

type PendingBlock =
  | { readonly kind: 'text'; text: string }
  | { readonly kind: 'toolUse'; readonly toolUseId: string; readonly name: string; json: string };

/**
 * Assembles `ConverseStream` events (API_runtime_ConverseStreamOutput) into a `Converse`-shaped
 * result: text deltas (forwarded as they come), tool-use input as JSON fragments (parsed when the
 * block stops), the stop reason, the usage (cache tokens included) and the guardrail trace.
 *
 * Truthful endings: a stream without `messageStop` is incomplete (`result()` throws
 * `IncompleteStreamError`; the SDK's HTTP/2 handler ends the event stream quietly when the connection
 * drops, so the missing `messageStop` is the only sign). A tool-use input that is not valid JSON is
 * `malformed_tool_use` — unless the answer stopped at `max_tokens`, which cut it short: then the tool
 * use is left out and flagged, and the stop reason stays `max_tokens`.
 */
export class ConverseStreamAssembler {
  readonly #onText: (delta: string) => void;
  readonly #blocks = new Map<number, PendingBlock>();
  readonly #done = new Map<number, SdkContentBlock>();
  #stopReason: ConverseCommandOutput['stopReason'];
  #stopped = false;
  #usage: ConverseCommandOutput['usage'];
  #trace: ConverseCommandOutput['trace'];
  #unparsable = false;

  constructor(onText: (delta: string) => void) {
    this.#onText = onText;
  }

  add(event: ConverseStreamOutput): void {
    if (event.contentBlockStart !== undefined) {
      const index = event.contentBlockStart.contentBlockIndex ?? 0;
      const toolUse = event.contentBlockStart.start?.toolUse;
      if (toolUse !== undefined) {
        this.#blocks.set(index, {
          kind: 'toolUse',
          toolUseId: toolUse.toolUseId ?? '',
          name: toolUse.name ?? '',
          json: '',
        });
      }
    } else if (event.contentBlockDelta !== undefined) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = event.contentBlockDelta.delta;
      if (delta?.text !== undefined) {
        const block = this.#blocks.get(index);
        if (block === undefined) this.#blocks.set(index, { kind: 'text', text: delta.text });
        else if (block.kind === 'text') block.text += delta.text;
        if (delta.text !== '') this.#onText(delta.text);
      } else if (delta?.toolUse?.input !== undefined) {
        const block = this.#blocks.get(index);
        if (block?.kind === 'toolUse') block.json += delta.toolUse.input;
      }
    } else if (event.contentBlockStop !== undefined) {
      this.#close(event.contentBlockStop.contentBlockIndex ?? 0);
    } else if (event.messageStop !== undefined) {
      this.#stopped = true;
      this.#stopReason = event.messageStop.stopReason;
    } else if (event.metadata !== undefined) {
      this.#usage = event.metadata.usage;
      this.#trace = event.metadata.trace;
    }
  }

  #close(index: number): void {
    const block = this.#blocks.get(index);
    if (block === undefined) return;
    this.#blocks.delete(index);
    if (block.kind === 'text') {
      this.#done.set(index, { text: block.text });
      return;
    }
    let input: DocumentType = {};
    if (block.json.trim() !== '') {
      try {
        input = toDocument(JSON.parse(block.json));
      } catch {
        this.#unparsable = true;
        return;
      }
    }
    this.#done.set(index, { toolUse: { toolUseId: block.toolUseId, name: block.name, input } });
  }

  /** The assembled answer; throws `IncompleteStreamError` when the stream never said `messageStop`. */
  result(): ConverseResult {
    if (!this.#stopped) throw new IncompleteStreamError();
    // Blocks the stream never stopped are closed as they are.
    for (const index of [...this.#blocks.keys()]) this.#close(index);
    const content = [...this.#done].sort(([a], [b]) => a - b).map(([, block]) => block);
    const cut = this.#unparsable && this.#stopReason === 'max_tokens';
    return {
      output: { message: { role: 'assistant', content } },
      stopReason: this.#unparsable && !cut ? 'malformed_tool_use' : this.#stopReason,
      usage: this.#usage,
      ...(this.#trace === undefined ? {} : { trace: this.#trace }),
      ...(cut ? { cutToolUse: true } : {}),
      ...(this.#usage === undefined ? { usageEstimated: true } : {}),
    };
  }
}
