/** One Server-Sent Event: `data` lines joined with newlines. */
export interface SseEvent {
  readonly event?: string;
  readonly id?: string;
  readonly data: string;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream format): feed it text as it
 * arrives, in chunks cut anywhere, and it returns the events completed so far. Comments
 * (`: heartbeat`) and `retry:` are ignored; an event without `data` is not dispatched.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;

  push(chunk: string): SseEvent[] {
    this.#buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      // A lone trailing \r may be the first half of \r\n: wait for more.
      if (match === null || (match[0] === '\r' && match.index === this.#buffer.length - 1)) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const event = this.#line(line);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  /** The end of the stream: an unterminated last event is dispatched, as a lenient reader would. */
  end(): SseEvent[] {
    const rest = this.#buffer;
    this.#buffer = '';
    const events: SseEvent[] = [];
    if (rest !== '') {
      const e = this.#line(rest);
      if (e !== undefined) events.push(e);
    }
    const last = this.#line('');
    if (last !== undefined) events.push(last);
    return events;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') {
      if (this.#data.length === 0) {
        this.#event = undefined;
        return undefined;
      }
      const e: SseEvent = {
        data: this.#data.join('\n'),
        ...(this.#event === undefined ? {} : { event: this.#event }),
        ...(this.#id === undefined ? {} : { id: this.#id }),
      };
      this.#data = [];
      this.#event = undefined;
      return e;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
    return undefined;
  }
}

/** Parses a whole event-stream body. */
export function parseSse(text: string): SseEvent[] {
  const p = new SseParser();
  return [...p.push(text), ...p.end()];
}
