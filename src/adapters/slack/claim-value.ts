/**
 * The one codec for the `value` of the Claim button on a case notice in the staff channel: it carries
 * the case id. The prefix marks the value as ours (and its format version), so a value from another
 * app, an older format or a hand-made payload decodes to `undefined` instead of reaching the bot.
 */

const PREFIX = 'ppclaim1:';

// Case ids look like C-1A2B3C; a little room is left for longer ids.
const CASE_ID = /^C-[A-Z0-9]{1,16}$/;

/** Turns a case id into a Claim button value. A malformed id is a bug in the core, so it throws. */
export function encodeClaimValue(caseId: string): string {
  if (!CASE_ID.test(caseId)) throw new Error(`not a case id: ${JSON.stringify(caseId.slice(0, 40))}`);
  return `${PREFIX}${caseId}`;
}

/** Reads the case id back from a value Slack sent; `undefined` when the value is not one of ours. */
export function decodeClaimValue(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(PREFIX)) return undefined;
  const caseId = value.slice(PREFIX.length);
  return CASE_ID.test(caseId) ? caseId : undefined;
}
