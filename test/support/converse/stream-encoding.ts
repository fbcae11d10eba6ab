import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { ResponseTurn, StreamExceptionType, WireContentBlock } from './script.ts';

/*
 * ConverseStream's wire format (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html,
 * ConverseStreamOutput): `application/vnd.amazon.eventstream` messages, `:message-type` event with
 * `:event-type` messageStart, contentBlockStart (tool uses), contentBlockDelta, contentBlockStop,
 * messageStop, metadata; or `:message-type` exception with `:exception-type` one of the stream's
 * exceptions. The payload is the event's JSON.
 */

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** One event-stream message, as Bedrock frames it. */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new TextEncoder().encode(JSON.stringify(payload)),
  });
}

export function encodeException(exceptionType: StreamExceptionType, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: new TextEncoder().encode(JSON.stringify({ message })),
  });
}

export const STREAM_EXCEPTION_MESSAGES: Readonly<Record<StreamExceptionType, string>> = {
  internalServerException: 'The server encountered an internal error while processing the request.',
  modelStreamErrorException: 'The model encountered an error while streaming the response.',
  serviceUnavailableException: 'Service is temporarily unavailable.',
  throttlingException: 'Too many requests, please wait before trying again.',
  validationException: 'The model returned an invalid response.',
};

/** A response as the ConverseStream events Bedrock would send for it. */
export function streamEvents(
  content: readonly WireContentBlock[],
  stopReason: string,
  metadata: Record<string, unknown>,
): [string, unknown][] {
  const events: [string, unknown][] = [['messageStart', { role: 'assistant' }]];
  content.forEach((block, contentBlockIndex) => {
    if ('text' in block) {
      for (const text of block.deltas ?? [block.text]) {
        events.push(['contentBlockDelta', { delta: { text }, contentBlockIndex }]);
      }
    } else {
      const { toolUseId, name, input } = block.toolUse;
      events.push(['contentBlockStart', { start: { toolUse: { toolUseId, name } }, contentBlockIndex }]);
      for (const fragment of block.fragments ?? [JSON.stringify(input)]) {
        events.push(['contentBlockDelta', { delta: { toolUse: { input: fragment } }, contentBlockIndex }]);
      }
    }
    events.push(['contentBlockStop', { contentBlockIndex }]);
  });
  events.push(['messageStop', { stopReason }]);
  events.push(['metadata', metadata]);
  return events;
}

/** The `converse` body's content: the wire blocks without the streaming-only fields. */
export function plainContent(content: readonly WireContentBlock[]): unknown[] {
  return content.map((block) => ('text' in block ? { text: block.text } : { toolUse: block.toolUse }));
}

/** Characters the model wrote, for its output token count. */
export function outputCharacters(turn: ResponseTurn): number {
  return JSON.stringify(plainContent(turn.content)).length;
}
