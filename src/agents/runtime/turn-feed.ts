import type { AgentEvent, AgentResponse } from '../contract.ts';

export type TurnEnd =
  | { readonly ok: true; readonly response: AgentResponse }
  | { readonly ok: false; readonly error: unknown };

/**
 * A streamed turn that runs to its end whether or not anyone still listens: a caller whose connection
 * drops does not cut the turn short (a retry of it is then answered with its outcome). `finish` runs
 * once, before the final event is released, and returns the error listeners see when the turn
 * failed (a safe one: the real error stays in the logs).
 */
export class TurnFeed {
  readonly #events: AgentEvent[] = [];
  #end: { readonly error?: Error } | undefined;
  #waiting: (() => void)[] = [];

  constructor(source: AsyncIterable<AgentEvent>, finish: (end: TurnEnd) => Promise<Error | undefined>) {
    void this.#pump(source, finish);
  }

  /** The events from the first, live; ends after `done`, or throws the turn's (safe) error. */
  async *events(): AsyncGenerator<AgentEvent> {
    for (let next = 0; ; ) {
      if (next < this.#events.length) {
        const event = this.#events[next++] as AgentEvent;
        yield event;
        continue;
      }
      if (this.#end !== undefined) {
        if (this.#end.error !== undefined) throw this.#end.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
      });
    }
  }

  async #pump(
    source: AsyncIterable<AgentEvent>,
    finish: (end: TurnEnd) => Promise<Error | undefined>,
  ): Promise<void> {
    let end: TurnEnd;
    try {
      let response: AgentResponse | undefined;
      for await (const event of source) {
        if (event.type === 'done') response = event.response;
        else this.#push(event);
      }
      end =
        response === undefined
          ? { ok: false, error: new Error('the turn ended without an answer') }
          : { ok: true, response };
    } catch (error) {
      end = { ok: false, error };
    }
    let error: Error | undefined;
    try {
      error = await finish(end);
    } catch (e) {
      error = e instanceof Error ? e : new Error(String(e));
    }
    if (!end.ok) error ??= new Error('the turn failed');
    else if (error === undefined) this.#push({ type: 'done', response: end.response });
    this.#end = error === undefined ? {} : { error };
    this.#signal();
  }

  #push(event: AgentEvent): void {
    this.#events.push(event);
    this.#signal();
  }

  #signal(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }
}
