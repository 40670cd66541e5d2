/**
 * Logging for the Slack adapter: Bolt's logger interface on top of ours, and errors described for logs.
 * Every line is redacted; no payload (and so no customer text) is ever logged.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';
import { describeError as describeAnyError, redactSecrets } from '../../core/redact.js';

export interface SlackErrorShape {
  code?: string;
  data?: { error?: string };
}

/** Slack's error code (`not_in_channel`, `invalid_auth`, ...) from a Web API error. */
export function slackErrorCode(error: unknown): string | undefined {
  return (error as SlackErrorShape | undefined)?.data?.error;
}

/** An error for logs: name, redacted message and Slack's error code; never a payload. */
export function describeError(error: unknown): object {
  const described = describeAnyError(error);
  return error instanceof Error ? { ...described, slackError: slackErrorCode(error) } : described;
}

/** Bolt's logger interface on top of ours; every line is redacted. */
export function boltLoggerFor(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const line = (parts: unknown[]) => ({ channel: 'slack', sdk: redactSecrets(parts.map(partToText).join(' ')) });
  return {
    debug: (...parts: unknown[]) => logger.debug(line(parts), 'slack sdk'),
    info: (...parts: unknown[]) => logger.info(line(parts), 'slack sdk'),
    warn: (...parts: unknown[]) => logger.warn(line(parts), 'slack sdk'),
    error: (...parts: unknown[]) => logger.error(line(parts), 'slack sdk'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function partToText(part: unknown): string {
  if (part instanceof Error) return `${part.name}: ${part.message}`;
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
