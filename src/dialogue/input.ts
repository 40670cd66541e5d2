/**
 * Inspects raw customer text before anything else sees it: empty, binary or huge input, and secrets.
 * The text that flows on is always the redacted one.
 */
import { containsSecret, redactSecrets } from '../core/redact.js';

/** Messages longer than this are cut before any processing; the customer is told. */
export const MAX_MESSAGE_CHARS = 20_000;

export type InspectedInput = { kind: 'empty' } | { kind: 'binary' } | { kind: 'text'; text: string; truncated: boolean; hadSecret: boolean };

export function inspectInput(raw: string): InspectedInput {
  const truncated = raw.length > MAX_MESSAGE_CHARS;
  const cut = truncated ? raw.slice(0, MAX_MESSAGE_CHARS) : raw;
  // Control characters (other than whitespace) and replacement characters mark binary junk.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const junk = cut.match(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  if (cut.length > 0 && junk / cut.length > 0.05) return { kind: 'binary' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are replaced by spaces
  const cleaned = cut.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ').trim();
  if (cleaned.length === 0) return { kind: 'empty' };
  const hadSecret = containsSecret(cleaned);
  return { kind: 'text', text: hadSecret ? redactSecrets(cleaned) : cleaned, truncated, hadSecret };
}
