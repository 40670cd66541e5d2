import { describe, expect, it } from 'vitest';
import { containsSecret, describeError, neutralizeMentions, redactBareCodes, redactSecrets } from '../../src/core/redact.js';

describe('secret redaction', () => {
  it.each([
    ['my pin is 4821', 'my pin is [redacted]'],
    ['Transfer PIN: 482913, please hurry', 'Transfer PIN: [redacted], please hurry'],
    ['the last 4 of my ssn is 1234', 'the last 4 of my ssn is [redacted]'],
    ['ssn 123-45-6789', 'ssn [redacted]'],
    ['passcode: hunter22', 'passcode: [redacted]'],
    ['token xoxb-1234-5678-abcdefghij', 'token [redacted]'],
  ])('redacts %j', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
    expect(containsSecret(input)).toBe(true);
  });

  it.each(['call (312) 555-0147 about order PO-48213', 'Verizon wants a PIN for 212-555-0188', 'I forgot my pin', 'what is a port-out pin?'])('leaves %j alone', (input) => {
    expect(redactSecrets(input)).toBe(input);
    expect(containsSecret(input)).toBe(false);
  });
});

describe('bare codes (where a PIN is expected)', () => {
  it('takes a code of 4-8 digits standing alone for one, and nothing a customer needs', () => {
    for (const text of ['ok i got it, its 4417', '4417', 'got it: 90210573', 'es 1234, ya lo tengo']) expect(redactBareCodes(text), text).toMatchObject({ found: true });
    expect(redactBareCodes('ok i got it, its 4417').text).toBe('ok i got it, its [redacted]');
    for (const text of [
      '(312) 555-0114',
      'the number is 555-0114',
      '312 555 0114',
      'I owe $84.12',
      'order 48213',
      'ticket #448120',
      'due 12/03/2026',
      'account number 88123',
      'it costs 1500 dollars',
      'lines 0114-0116',
    ]) {
      expect(redactBareCodes(text), text).toEqual({ text, found: false });
    }
  });
});

describe('mention neutralisation', () => {
  it('makes broadcast and group mentions inert on every channel', () => {
    const out = neutralizeMentions('hi @everyone @here <!channel> <!here> <!everyone> <!subteam^S1|@ops> <@&42>');
    expect(out).not.toMatch(/@everyone|@here|<!channel>|<!here>|<!everyone>|<!subteam|<@&/);
    expect(out).toContain('everyone');
  });
});

describe('describeError', () => {
  it('redacts a secret from the message and from the stack, which repeats the message', () => {
    const described = describeError(new Error('could not send "my pin is 4821" to the carrier'));
    expect(JSON.stringify(described)).not.toContain('4821');
    expect(String(described.stack)).toMatch(/my pin is \[redacted\]/);
    expect(described.name).toBe('Error');
  });
});
