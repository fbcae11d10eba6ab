import { describe, expect, it } from 'vitest';
import {
  IncompleteStreamError,
  isRetryableBedrockError,
  toModelCallError,
} from '../../../../src/agents/model/bedrock-errors.ts';
import { RetryBudget } from '../../../../src/agents/model/retry-budget.ts';

const named = (name: string, message = 'x', code?: string) =>
  Object.assign(new Error(message), { name }, code === undefined ? {} : { code });

describe('which Bedrock failures are retried', () => {
  it.each([
    ['ThrottlingException', true],
    ['ServiceUnavailableException', true],
    ['InternalServerException', true],
    ['ModelNotReadyException', true],
    ['ModelStreamErrorException', true],
    ['ValidationException', false],
    ['AccessDeniedException', false],
    ['ModelErrorException', false],
    ['ModelTimeoutException', false],
    ['ResourceNotFoundException', false],
  ])('%s → %s', (name, retried) => {
    expect(isRetryableBedrockError(named(name))).toBe(retried);
  });

  it('retries connection resets and streams cut before messageStop', () => {
    expect(isRetryableBedrockError(named('Error', 'read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(isRetryableBedrockError(named('Error', 'socket hang up'))).toBe(true);
    expect(isRetryableBedrockError(named('Error', 'Stream closed', 'ERR_HTTP2_STREAM_ERROR'))).toBe(true);
    expect(isRetryableBedrockError(new IncompleteStreamError())).toBe(true);
    expect(isRetryableBedrockError('ECONNRESET')).toBe(false);
  });

  it('tells the loop why a call failed', () => {
    const ids = ['m'];
    expect(toModelCallError(named('ThrottlingException'), ids)).toMatchObject({
      reason: 'busy',
      transient: true,
    });
    expect(toModelCallError(new IncompleteStreamError(), ids)).toMatchObject({ reason: 'incomplete' });
    expect(
      toModelCallError(named('ValidationException', 'Input is too long for requested model.'), ids),
    ).toMatchObject({ reason: 'context_window', transient: false });
    expect(toModelCallError(named('ValidationException', 'The text field … is blank'), ids)).toMatchObject({
      reason: 'refused',
      transient: false,
    });
  });
});

describe('the retry budget', () => {
  it('pays for retries until spent, and earns back one token per first-attempt success', () => {
    const budget = new RetryBudget({ capacity: 10, retryCost: 5 });

    expect([budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire()]).toStrictEqual([
      true,
      true,
      false,
    ]);
    for (let i = 0; i < 4; i++) budget.recordSuccess();
    expect(budget.tryAcquire()).toBe(false);
    budget.recordSuccess();
    expect(budget.tryAcquire()).toBe(true);
    for (let i = 0; i < 50; i++) budget.recordSuccess();
    expect(budget.available).toBe(10);
  });
});
