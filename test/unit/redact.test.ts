import { describe, expect, it } from 'vitest';
import { containsSecret, describeError, neutralizeMentions, redactSecrets } from '../../src/core/redact.js';

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
