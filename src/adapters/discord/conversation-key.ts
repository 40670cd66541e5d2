/**
 * The one codec between a Discord place and the bot's conversation key. Turns build keys from events;
 * staff replies, handbacks and closings, which arrive outside a customer's turn, read the key back to
 * know where to post.
 *
 * Keys: `discord:dm:<DM channel id>`, `discord:thread:<thread id>` (customers) and
 * `discord:staff:<user id>` (one staff member's own command conversation, never a customer's).
 */

/** Where a customer conversation lives: a direct message with the bot, or a thread the bot opened. */
export interface ConversationPlace {
  kind: 'dm' | 'thread';
  channelId: string;
}

const KEY = /^discord:(dm|thread):(\d{1,20})$/;
const SNOWFLAKE = /^\d{1,20}$/;

/** The conversation key of a customer's DM or thread. */
export function conversationKeyOf(place: ConversationPlace): string {
  assertSnowflake(place.channelId);
  return `discord:${place.kind}:${place.channelId}`;
}

/** The place a customer conversation key names; undefined for anything else (another channel, a staff key). */
export function placeOfConversationKey(key: string): ConversationPlace | undefined {
  const match = KEY.exec(key);
  return match ? { kind: match[1] as ConversationPlace['kind'], channelId: match[2]! } : undefined;
}

function assertSnowflake(id: string): void {
  if (!SNOWFLAKE.test(id)) throw new RangeError(`not a Discord id: "${id.slice(0, 40)}"`);
}
