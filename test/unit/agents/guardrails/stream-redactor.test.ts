import { describe, expect, it } from 'vitest';
import { redactOutput } from '../../../../src/agents/guardrails/redactor.ts';
import { StreamRedactor, safeBoundary } from '../../../../src/agents/guardrails/stream-redactor.ts';

const ctx = { principal: { accounts: [] }, knownAccounts: ['EQUS-GROWTH-01'] };
const redact = (text: string): string => redactOutput(text, ctx).text;

/** Streams `deltas` through a redactor; returns what was released per push, and the flush. */
function stream(deltas: readonly string[]): { released: string[]; flushed: string; text: string } {
  const redactor = new StreamRedactor(redact);
  const released = deltas.map((d) => redactor.push(d));
  const flushed = redactor.flush();
  return { released, flushed, text: released.join('') + flushed };
}

/** Every way of cutting `text` in two, and into single characters. */
function splits(text: string): string[][] {
  const out: string[][] = [[...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

const SECRETS = [
  'account 1234567890 is blocked',
  'IBAN DE89370400440532013000 on file',
  'key AKIAABCDEFGHIJKLMNOP leaked',
  'use xoxb-1234567890-abcdefghij please',
  'Authorization: Bearer abcdefghijklmnop123 here',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok',
  'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc123 end',
  'key -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc def\n-----END RSA PRIVATE KEY----- done',
  'settles to EQUS-GROWTH-01 tomorrow',
];

describe('StreamRedactor', () => {
  it.each(SECRETS)('never releases a secret split anywhere: %s', (text) => {
    const whole = redact(text);
    expect(whole).not.toBe(text);
    for (const deltas of splits(text)) {
      const { released, text: streamed } = stream(deltas);
      expect(streamed).toBe(whole);
      // No prefix of the release may hold the raw secret's redacted part unredacted.
      for (let i = 1; i <= released.length; i++) {
        const sofar = released.slice(0, i).join('');
        expect(whole.startsWith(sofar)).toBe(true);
      }
    }
  });

  it('lets ordinary text through at each word', () => {
    const redactor = new StreamRedactor(redact);
    expect(redactor.push('T-10042 is ')).toBe('T-10042 is ');
    expect(redactor.push('UNMA')).toBe('');
    expect(redactor.push('TCHED because')).toBe('UNMATCHED ');
    expect(redactor.pending).toBe('because');
    expect(redactor.push(' of a price break.\n')).toBe('because of a price break.\n');
    expect(redactor.flush()).toBe('');
  });

  it('masks an account number split across two deltas', () => {
    const { released, text } = stream(['Pays to 12345', '67890 today.']);
    expect(released).toStrictEqual(['Pays to ', '****7890 ']);
    expect(text).toBe('Pays to ****7890 today.');
  });

  it('holds a trailing Bearer until its token has arrived', () => {
    const redactor = new StreamRedactor(redact);
    expect(redactor.push('send Bearer ')).toBe('send ');
    expect(redactor.push('abcdefghijkl ')).toBe('[redacted bearer token] ');
  });

  it('holds a private-key block until its end line', () => {
    const redactor = new StreamRedactor(redact);
    expect(redactor.push('here -----BEGIN RSA PRIVATE KEY-----\nMIIE ')).toBe('here ');
    expect(redactor.push('abc\n')).toBe('');
    expect(redactor.push('-----END RSA PRIVATE KEY----- ok ')).toBe('[redacted private key] ok ');
  });

  it('holds a key block with no end until the flush, then redacts it', () => {
    const { released, flushed } = stream(['a -----BEGIN PRIVATE KEY-----\n', 'MIIE abc\n', 'def ']);
    expect(released).toStrictEqual(['a ', '', '']);
    expect(flushed).toBe('[redacted private key]');
  });

  it('releases a certificate header once it is known not to be a key', () => {
    expect(safeBoundary('x -----BEGIN CERTIFICATE-----\nMIIB ')).toBe(
      'x -----BEGIN CERTIFICATE-----\nMIIB '.length,
    );
    expect(safeBoundary('x -----BEGIN CERT ')).toBe(2);
  });
});
