/**
 * The one codec between a Slack place (a DM, or one thread in a channel) and the bot's conversation
 * key. Turns build keys from events; staff replies and handbacks, which arrive outside a customer's
 * turn, read the key back to know where to post.
 */

/** Where a conversation lives: a direct message, or one thread in a channel. */
export interface Place {
  channel: string;
  direct: boolean;
  threadTs?: string;
}

// Slack conversation ids (C… channel, G… private channel, D… direct message) and message timestamps.
const CHANNEL_ID = /^[CDG][A-Z0-9]+$/;
const MESSAGE_TS = /^\d+\.\d+$/;

/** `slack:<team>:<channel>` for a DM, `slack:<team>:<channel>:<thread ts>` for a thread. */
export function conversationKey(teamId: string, place: Place): string {
  return place.direct ? `slack:${teamId}:${place.channel}` : `slack:${teamId}:${place.channel}:${place.threadTs ?? ''}`;
}

/** The place a customer conversation key names; undefined for a key that is not one (another channel, a staff key). */
export function placeOfConversationKey(key: string): Place | undefined {
  const [prefix, teamId, channel, threadTs, ...rest] = key.split(':');
  if (prefix !== 'slack' || !teamId || !channel || !CHANNEL_ID.test(channel) || rest.length > 0) return undefined;
  if (threadTs === undefined || threadTs === '') return { channel, direct: isDirectChannel(channel) };
  return MESSAGE_TS.test(threadTs) ? { channel, direct: false, threadTs } : undefined;
}

/** Slack's direct-message conversation ids start with D. */
export function isDirectChannel(channel: string): boolean {
  return channel.startsWith('D');
}
