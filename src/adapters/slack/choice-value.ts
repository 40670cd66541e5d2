/**
 * The one codec between our choice ids and the `value` of a Slack button or select option. The prefix
 * marks a value as ours (and its format version), so a value from another app, an older format or a
 * hand-made payload decodes to `undefined` instead of reaching the bot.
 */

const PREFIX = 'pp1:';

/** Choice ids are opaque strings of at most this many characters (Slack allows 150 in an option value). */
export const MAX_CHOICE_ID_CHARS = 64;

// Opaque, but never empty, never over the limit and never holding control characters.
const CHOICE_ID = new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${MAX_CHOICE_ID_CHARS}}$`);

/** Turns a choice id into a button or option value. A bad id is a bug in the core, so it throws. */
export function encodeChoiceValue(choiceId: string): string {
  if (!CHOICE_ID.test(choiceId)) throw new Error(`choice id is empty, too long or has control characters: ${JSON.stringify(choiceId.slice(0, 80))}`);
  return `${PREFIX}${choiceId}`;
}

/** Reads a choice id back from a value Slack sent; `undefined` when the value is not one of ours. */
export function decodeChoiceValue(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(PREFIX)) return undefined;
  const choiceId = value.slice(PREFIX.length);
  return CHOICE_ID.test(choiceId) ? choiceId : undefined;
}
