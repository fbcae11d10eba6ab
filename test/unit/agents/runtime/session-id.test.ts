import { describe, expect, it } from 'vitest';
import { isValidSessionId, runtimeSessionId } from '../../../../src/agents/client/session-id.ts';

describe('runtimeSessionId', () => {
  const id = runtimeSessionId('T0123', 'alice', 'C042', '1718000000.000100');

  it('is 33 to 100 characters of [A-Za-z0-9_-], starting with a letter or digit', () => {
    expect(id.length).toBeGreaterThanOrEqual(33);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]+$/);
    expect(isValidSessionId(id)).toBe(true);
  });

  it('is deterministic', () => {
    expect(runtimeSessionId('T0123', 'alice', 'C042', '1718000000.000100')).toBe(id);
  });

  it('differs per thread, channel, principal and team', () => {
    const others = [
      runtimeSessionId('T0123', 'alice', 'C042', '1718000000.000200'),
      runtimeSessionId('T0123', 'alice', 'C043', '1718000000.000100'),
      runtimeSessionId('T0123', 'bob', 'C042', '1718000000.000100'),
      runtimeSessionId('T9999', 'alice', 'C042', '1718000000.000100'),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  it('keeps the parts apart (no ambiguity from separators)', () => {
    expect(runtimeSessionId('a|b', 'c', 'd', 'e')).not.toBe(runtimeSessionId('a', 'b|c', 'd', 'e'));
  });

  it('stays valid for long and unusual inputs', () => {
    const long = runtimeSessionId('T'.repeat(500), 'ü/ç:é', 'C'.repeat(300), '');
    expect(isValidSessionId(long)).toBe(true);
  });
});

describe('isValidSessionId', () => {
  it('refuses ids AgentCore refuses', () => {
    expect(isValidSessionId('x'.repeat(32))).toBe(false);
    expect(isValidSessionId('x'.repeat(101))).toBe(false);
    expect(isValidSessionId(`-${'x'.repeat(40)}`)).toBe(false);
    expect(isValidSessionId(`${'x'.repeat(40)}.1`)).toBe(false);
    expect(isValidSessionId('x'.repeat(33))).toBe(true);
  });
});
