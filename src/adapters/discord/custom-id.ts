/**
 * The one codec for the `custom_id`s of portpilot's Discord components. A custom id carries the
 * customer the component was offered to (so a click by anyone else is recognised as foreign) and,
 * for a button, the bot's choice id. A select menu's custom id carries only the customer; the choice
 * ids travel as option values.
 *
 * Format: `pp:c:<customer>:<choice>` (button) and `pp:m:<customer>` (select menu). Choice ids are
 * opaque strings of at most 64 characters, so a custom id never exceeds Discord's 100.
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

function assertCustomer(customer: string): void {
  if (!SNOWFLAKE.test(customer)) throw new RangeError(`customer must be a Discord user id, got "${customer}"`);
}
