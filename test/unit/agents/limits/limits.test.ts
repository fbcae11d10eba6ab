import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitOpenError } from '../../../../src/agents/limits/circuit-breaker.ts';
import { canonicalJson, LoopDetector } from '../../../../src/agents/limits/loop-detector.ts';
import { InMemorySessionLimitsStore } from '../../../../src/agents/limits/session-limits-store.ts';
import { TokenBudget } from '../../../../src/agents/limits/token-budget.ts';
import { ToolCallCaps } from '../../../../src/agents/limits/tool-call-caps.ts';
import type { Usage } from '../../../../src/agents/model/types.ts';
import { fullJitterDelay, retryWithFullJitter } from '../../../../src/retry.ts';

const usage = (inputTokens: number, outputTokens: number, extra: Partial<Usage> = {}): Usage => ({
  inputTokens,
  outputTokens,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  estimated: false,
  ...extra,
});

class ManualClock {
  ms = 1_000_000;
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

describe('TokenBudget', () => {
  it('counts input, output and cache tokens per session and reports exhaustion', async () => {
    const budget = new TokenBudget({ store: new InMemorySessionLimitsStore(), limitTokens: 1_000 });

    expect(await budget.charge('s1', usage(300, 100, { cacheReadInputTokens: 200 }))).toStrictEqual({
      used: 600,
      limit: 1_000,
      exceeded: false,
    });
    expect(await budget.charge('s1', usage(300, 100, { estimated: true }))).toStrictEqual({
      used: 1_000,
      limit: 1_000,
      exceeded: true,
    });
    expect(await budget.state('s2')).toStrictEqual({ used: 0, limit: 1_000, exceeded: false });
  });
});

describe('ToolCallCaps', () => {
  it('allows calls up to the cap and refuses the next one, per session', async () => {
    const caps = new ToolCallCaps({ store: new InMemorySessionLimitsStore() });
    const tool = { name: 'get_trade_status', sessionCallCap: 2 };

    const decisions = [
      await caps.acquire('s1', tool),
      await caps.acquire('s1', tool),
      await caps.acquire('s1', tool),
      await caps.acquire('s2', tool),
    ];

    expect(decisions).toStrictEqual([
      { allowed: true, count: 1, cap: 2 },
      { allowed: true, count: 2, cap: 2 },
      { allowed: false, count: 3, cap: 2 },
      { allowed: true, count: 1, cap: 2 },
    ]);
  });
});

describe('LoopDetector', () => {
  it('flags the third identical call, whatever the key order of the arguments', async () => {
    const detector = new LoopDetector({ store: new InMemorySessionLimitsStore() });

    const seen = [
      await detector.observe('s1', 'find_trades', { isin: 'US0378331005', desk: 'EQ-US' }),
      await detector.observe('s1', 'find_trades', { desk: 'EQ-US', isin: 'US0378331005' }),
      await detector.observe('s1', 'find_trades', { desk: 'EQ-EU', isin: 'US0378331005' }),
      await detector.observe('s1', 'find_trades', { isin: 'US0378331005', desk: 'EQ-US' }),
    ];

    expect(seen).toStrictEqual([
      { repeats: 1, loop: false },
      { repeats: 2, loop: false },
      { repeats: 1, loop: false },
      { repeats: 3, loop: true },
    ]);
  });

  it('canonicalises nested keys', () => {
    expect(canonicalJson({ b: [{ y: 1, x: 2 }], a: null })).toBe('{"a":null,"b":[{"x":2,"y":1}]}');
  });
});

describe('CircuitBreaker', () => {
  it('opens on the failure rate, half-opens after the cool-down with one trial, and closes on success', () => {
    const clock = new ManualClock();
    const changes: string[] = [];
    const breaker = new CircuitBreaker({
      name: 'settlement-store',
      failureRateThreshold: 0.5,
      minimumCalls: 4,
      windowMs: 10_000,
      coolDownMs: 5_000,
      now: clock.now,
      onStateChange: ({ from, to }) => changes.push(`${from}→${to}`),
    });

    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure(); // 2 of 4 failed: 50 %
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);

    clock.advance(4_999);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one trial at a time

    breaker.recordFailure(); // the trial fails: open again, new cool-down
    expect(breaker.state).toBe('open');
    clock.advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);

    expect(changes).toStrictEqual([
      'closed→open',
      'open→half_open',
      'half_open→open',
      'open→half_open',
      'half_open→closed',
    ]);
  });

  it('forgets failures outside the rolling window', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ name: 'x', minimumCalls: 3, windowMs: 1_000, now: clock.now });

    breaker.recordFailure();
    breaker.recordFailure();
    clock.advance(1_001);
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordSuccess();

    expect(breaker.state).toBe('closed');
  });

  it('refuses through execute with CircuitOpenError when open', async () => {
    const breaker = new CircuitBreaker({ name: 'bedrock', minimumCalls: 1, failureRateThreshold: 1 });
    await expect(breaker.execute(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(breaker.execute(() => Promise.resolve(1))).rejects.toBeInstanceOf(CircuitOpenError);
  });
});

describe('full jitter', () => {
  it('draws each delay from [0, min(cap, base·2^attempt))', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    const upper = [0, 1, 2, 3, 4, 10].map((attempt) => fullJitterDelay(attempt, policy, () => 0.999_999));
    const lower = [0, 1, 2, 3, 4, 10].map((attempt) => fullJitterDelay(attempt, policy, () => 0));

    expect(upper).toStrictEqual([99, 199, 399, 799, 999, 999]);
    expect(lower).toStrictEqual([0, 0, 0, 0, 0, 0]);
    for (let i = 0; i < 200; i++) {
      const d = fullJitterDelay(3, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(800);
    }
  });

  it('retries retryable errors up to maxAttempts and rethrows the last one', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const run = retryWithFullJitter(
      async () => {
        calls++;
        throw new Error(`throttled ${calls}`);
      },
      {
        maxAttempts: 3,
        baseDelayMs: 100,
        maxDelayMs: 150,
        isRetryable: () => true,
        random: () => 0.5,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );

    await expect(run).rejects.toThrow('throttled 3');
    expect(sleeps).toStrictEqual([50, 75]);
  });

  it('does not retry an error that is not retryable', async () => {
    let calls = 0;
    const run = retryWithFullJitter(
      async () => {
        calls++;
        throw new Error('validation');
      },
      { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => false, sleep: async () => {} },
    );
    await expect(run).rejects.toThrow('validation');
    expect(calls).toBe(1);
  });
});
