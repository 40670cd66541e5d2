/**
 * Inspects raw customer text before anything else sees it: empty, binary or huge input, and secrets.
 * The text that flows on is always the redacted one.
 */
import type { Content } from '../content/load-content.js';
import { containsSecret, redactBareCodes, redactSecrets } from '../core/redact.js';

/** Messages longer than this are cut before any processing; the customer is told. */
export const MAX_MESSAGE_CHARS = 20_000;

export type InspectedInput = { kind: 'empty' } | { kind: 'binary' } | { kind: 'text'; text: string; truncated: boolean; hadSecret: boolean };

export interface InspectOptions {
  /** The walkthrough under way sends the customer to get a PIN: a bare 4-8 digit code is taken for it. */
  pinExpected?: boolean;
}

export function inspectInput(raw: string, options: InspectOptions = {}): InspectedInput {
  const truncated = raw.length > MAX_MESSAGE_CHARS;
  const cut = truncated ? raw.slice(0, MAX_MESSAGE_CHARS) : raw;
  // Control characters (other than whitespace) and replacement characters mark binary junk.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const junk = cut.match(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  if (cut.length > 0 && junk / cut.length > 0.05) return { kind: 'binary' };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are replaced by spaces
  const cleaned = cut.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ').trim();
  if (cleaned.length === 0) return { kind: 'empty' };
  const named = containsSecret(cleaned);
  const redacted = named ? redactSecrets(cleaned) : cleaned;
  const bare = options.pinExpected ? redactBareCodes(redacted) : { text: redacted, found: false };
  return { kind: 'text', text: bare.text, truncated, hadSecret: named || bare.found };
}

/** Whether the walkthrough under way expects the customer may type the PIN itself (its flow's `expects_pin`). */
export function expectsPin(content: Pick<Content, 'intents'>, state: { flow: { id: string } | null }): boolean {
  return state.flow ? content.intents.get(state.flow.id)?.flow?.expects_pin === true : false;
}
