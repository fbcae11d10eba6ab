import { type Clock, systemClock } from '../../clock.ts';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** The downstream this breaker guards (`bedrock`, `settlement-store`, a tool name). */
  readonly name: string;
  /** Opens when failures / calls in the window reach this rate (0–1). Default 0.5. */
  readonly failureRateThreshold?: number;
  /** No opening on fewer calls than this in the window. Default 5. */
  readonly minimumCalls?: number;
  /** Rolling window over which the failure rate is measured. Default 60 s. */
  readonly windowMs?: number;
  /** How long the breaker stays open before it lets one trial call through. Default 30 s. */
  readonly coolDownMs?: number;
  /** The clock; the system clock unless a test injects one. */
  readonly now?: Clock;
  readonly onStateChange?: (change: {
    readonly name: string;
    readonly from: BreakerState;
    readonly to: BreakerState;
  }) => void;
}

/** Thrown by `CircuitBreaker.execute` when the breaker refuses the call. */
export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
  constructor(readonly downstream: string) {
    super(`${downstream} is unavailable (circuit open)`);
  }
}

/**
 * A failure-rate circuit breaker for one downstream. Closed: calls pass and outcomes are recorded
 * in a rolling window; when the failure rate over at least `minimumCalls` reaches the threshold it
 * opens. Open: calls are refused until the cool-down has passed. Half-open: exactly one trial call
 * passes; its success closes the breaker (with a fresh window), its failure opens it again.
 */
export class CircuitBreaker {
  readonly name: string;
  readonly #threshold: number;
  readonly #minimumCalls: number;
  readonly #windowMs: number;
  readonly #coolDownMs: number;
  readonly #now: () => number;
  readonly #onStateChange: CircuitBreakerOptions['onStateChange'];
  #state: BreakerState = 'closed';
  #openedAt = 0;
  #trialInFlight = false;
  #outcomes: { readonly at: number; readonly ok: boolean }[] = [];

  constructor(options: CircuitBreakerOptions) {
    this.name = options.name;
    this.#threshold = options.failureRateThreshold ?? 0.5;
    this.#minimumCalls = options.minimumCalls ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#coolDownMs = options.coolDownMs ?? 30_000;
    const clock = options.now ?? systemClock;
    this.#now = () => clock().getTime();
    this.#onStateChange = options.onStateChange;
  }

  /** The current state; an open breaker whose cool-down has passed reads as half-open. */
  get state(): BreakerState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#coolDownMs) {
      this.#transition('half_open');
    }
    return this.#state;
  }

  /**
   * Asks to make one call. True means go ahead, and the caller must then report the outcome with
   * `recordSuccess` or `recordFailure`. In half-open only the first caller gets true.
   */
  tryAcquire(): boolean {
    switch (this.state) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half_open':
        if (this.#trialInFlight) return false;
        this.#trialInFlight = true;
        return true;
    }
  }

  recordSuccess(): void {
    if (this.#state === 'half_open') {
      this.#trialInFlight = false;
      this.#outcomes = [];
      this.#transition('closed');
      return;
    }
    this.#record(true);
  }

  recordFailure(): void {
    if (this.#state === 'half_open') {
      this.#trialInFlight = false;
      this.#open();
      return;
    }
    this.#record(false);
    if (this.#state === 'closed' && this.#outcomes.length >= this.#minimumCalls) {
      const failures = this.#outcomes.filter((o) => !o.ok).length;
      if (failures / this.#outcomes.length >= this.#threshold) this.#open();
    }
  }

  /** Runs `fn` through the breaker; a thrown error counts as a failure unless `isFailure` says no. */
  async execute<T>(fn: () => Promise<T>, isFailure: (error: unknown) => boolean = () => true): Promise<T> {
    if (!this.tryAcquire()) throw new CircuitOpenError(this.name);
    try {
      const value = await fn();
      this.recordSuccess();
      return value;
    } catch (error) {
      if (isFailure(error)) this.recordFailure();
      else this.recordSuccess();
      throw error;
    }
  }

  #record(ok: boolean): void {
    const now = this.#now();
    this.#outcomes.push({ at: now, ok });
    const from = now - this.#windowMs;
    while (this.#outcomes.length > 0 && (this.#outcomes[0]?.at ?? now) <= from) this.#outcomes.shift();
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#outcomes = [];
    this.#transition('open');
  }

  #transition(to: BreakerState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#onStateChange?.({ name: this.name, from, to });
  }
}

/** One breaker per downstream, created on first use with shared settings. */
export class CircuitBreakerRegistry {
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #defaults: Omit<CircuitBreakerOptions, 'name'>;

  constructor(defaults: Omit<CircuitBreakerOptions, 'name'> = {}) {
    this.#defaults = defaults;
  }

  get(downstream: string): CircuitBreaker {
    let breaker = this.#breakers.get(downstream);
    if (breaker === undefined) {
      breaker = new CircuitBreaker({ ...this.#defaults, name: downstream });
      this.#breakers.set(downstream, breaker);
    }
    return breaker;
  }

  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.#breakers].map(([name, b]) => [name, b.state]));
  }
}
