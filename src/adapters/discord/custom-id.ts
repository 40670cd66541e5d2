/**
 * The one codec for the `custom_id`s of portpilot's Discord components. A custom id carries the
 * customer the component was offered to (so a click by anyone else is recognised as foreign) and,
 * for a button, the bot's choice id. A select menu's custom id carries only the customer; the choice
 * ids travel as option values.
 *
 * The Claim button on a case notice in the staff channel carries the case id instead: who may claim
 * is decided by the core on every click, not by the component.
 *
 * Format: `pp:c:<customer>:<choice>` (button), `pp:m:<customer>` (select menu) and `pp:claim:<case id>`
 * (Claim button). Choice ids are opaque strings of at most 64 characters, so a custom id never exceeds
 * Discord's 100.
 */

/** What a component press means: which customer it belongs to and which choice it makes. */
export interface ComponentPress {
  customer: string;
  choice: string;
}

export const MAX_CHOICE_ID_CHARS = 64;
export const MAX_CUSTOM_ID_CHARS = 100;

const SNOWFLAKE = /^\d{1,20}$/;
const BUTTON = /^pp:c:(\d{1,20}):([\s\S]{1,64})$/;
const MENU = /^pp:m:(\d{1,20})$/;
// Case ids look like C-1A2B3C; a little room is left for longer ids.
const CASE_ID = /^C-[A-Z0-9]{1,16}$/;
const CLAIM_PREFIX = 'pp:claim:';

/** Custom id of a button making `choice` for `customer`. Throws on an id the codec cannot carry (a bug). */
export function encodeButtonId(customer: string, choice: string): string {
  assertCustomer(customer);
  if (choice.length === 0 || choice.length > MAX_CHOICE_ID_CHARS) {
    throw new RangeError(`choice id must be 1-${MAX_CHOICE_ID_CHARS} characters, got ${choice.length}`);
  }
  return `pp:c:${customer}:${choice}`;
}

/** Custom id of a select menu offering choices to `customer`. */
export function encodeMenuId(customer: string): string {
  assertCustomer(customer);
  return `pp:m:${customer}`;
}

/**
 * Reads a component press: the custom id, plus the picked values for a select menu.
 * Undefined for anything portpilot did not make.
 */
export function decodeComponentPress(customId: string, values: readonly string[] = []): ComponentPress | undefined {
  const button = BUTTON.exec(customId);
  if (button) return { customer: button[1]!, choice: button[2]! };
  const menu = MENU.exec(customId);
  const picked = values[0];
  if (menu && picked !== undefined && picked.length > 0 && picked.length <= MAX_CHOICE_ID_CHARS) {
    return { customer: menu[1]!, choice: picked };
  }
  return undefined;
}

/** Custom id of the Claim button for a case. A malformed case id is a bug in the core, so it throws. */
export function encodeClaimId(caseId: string): string {
  if (!CASE_ID.test(caseId)) throw new RangeError(`not a case id: ${JSON.stringify(caseId.slice(0, 40))}`);
  return `${CLAIM_PREFIX}${caseId}`;
}

/** True for the custom id of a Claim button, readable or not: such a click never counts as a customer's choice. */
export function isClaimId(customId: string): boolean {
  return customId.startsWith(CLAIM_PREFIX);
}

/** The case id a Claim button carries; undefined for a custom id that is not a well-formed one of ours. */
export function decodeClaimId(customId: string): string | undefined {
  if (!isClaimId(customId)) return undefined;
  const caseId = customId.slice(CLAIM_PREFIX.length);
  return CASE_ID.test(caseId) ? caseId : undefined;
}

function assertCustomer(customer: string): void {
  if (!SNOWFLAKE.test(customer)) throw new RangeError(`customer must be a Discord user id, got "${customer}"`);
}
