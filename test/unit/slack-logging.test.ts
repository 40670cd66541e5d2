/** The Slack adapter's logging: Bolt's lines and errors reach our logger redacted, never with a secret. */
import { describe, expect, it } from 'vitest';
import { boltLoggerFor, describeError } from '../../src/adapters/slack/slack-logging.js';
import type { Logger } from '../../src/core/ports.js';

function recordingLogger(): Logger & { lines: unknown[] } {
  const lines: unknown[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('boltLoggerFor', () => {
  it('GIVEN Bolt logs a payload with a PIN or a token THEN our logger receives it redacted', () => {
    const logger = recordingLogger();
    const bolt = boltLoggerFor(logger);
    bolt.debug('event body', { text: 'my transfer pin is 482913' });
    bolt.error(new Error('call failed with xoxb-1234-abcdefghij'));
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain('482913');
    expect(logged).not.toContain('xoxb-1234-abcdefghij');
    expect(logged).toContain('[redacted]');
  });

  it('keeps the level Bolt sets', () => {
    const bolt = boltLoggerFor(recordingLogger());
    bolt.setLevel('debug' as never);
    expect(bolt.getLevel()).toBe('debug');
  });
});

describe('describeError', () => {
  it("keeps Slack's error code and redacts the message", () => {
    const error = Object.assign(new Error('An API error occurred: not_in_channel, pin is 123456'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'not_in_channel' },
    });
    expect(describeError(error)).toMatchObject({ code: 'slack_webapi_platform_error', slackError: 'not_in_channel' });
    expect(JSON.stringify(describeError(error))).not.toContain('123456');
  });
});
