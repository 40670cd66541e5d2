/**
 * The Discord sink of the outbox: delivers what leaves the bot outside a customer's turn. A staff reply,
 * handback or closing goes into the customer's DM or thread (read from the conversation key); a new case
 * goes to the staff channel with a Claim button and other notices go there as text; a notice for one
 * staff member (the customer's words on the case they claimed) reaches them as a DM.
 */
import { ChannelType, type Client, type SendableChannels } from 'discord.js';
import type { Logger, StaffNotice } from '../../core/ports.js';
import { neutralizeMentions } from '../../core/redact.js';
import type { Reply } from '../../core/types.js';
import type { OutboxSink } from '../../handoff/outbox-router.js';
import { placeOfConversationKey } from './conversation-key.js';
import { describeError } from './discord-logging.js';
import { renderReply, type DiscordMessage } from './render.js';
import { DISCORD_STAFF_WORDING, renderCaseNotice, renderStaffNotice } from './render-staff.js';

export interface DiscordOutboxDeps {
  client: Client;
  logger: Logger;
  /** `PORTPILOT_STAFF_DISCORD_CHANNEL`: where new cases are listed; without it staff use `/staff queue`. */
  staffChannelId?: string | undefined;
  /** The customer of a thread the bot opened (the one its buttons are for), from the adapter's records. */
  threadCustomer(threadId: string): Promise<string | undefined>;
}

const USER_ID = /^\d{15,22}$/;

export function createDiscordOutbox(deps: DiscordOutboxDeps): Required<OutboxSink> {
  const { client, logger } = deps;

  /** A channel to post in, from the cache or Discord (after a restart the cache is empty). */
  async function sendable(channelId: string): Promise<SendableChannels> {
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`discord channel ${channelId} is not one portpilot can post in`);
    return channel;
  }

  async function postInStaffChannel(message: DiscordMessage): Promise<boolean> {
    if (!deps.staffChannelId) return false;
    await (await sendable(deps.staffChannelId)).send(message);
    return true;
  }

  /** The customer's words on a claimed case, to the one who claimed it; the staff channel if the DM fails. */
  async function toStaffMember(notice: StaffNotice, staffId: string): Promise<void> {
    try {
      const dm = await client.users.createDM(staffId);
      await dm.send(renderStaffNotice(notice));
    } catch (error) {
      // A member can refuse DMs from server members (Discord error 50007): the customer's words must not be lost.
      logger.warn({ err: describeError(error), channel: 'discord', caseId: notice.caseId }, 'discord could not DM a staff member; trying the staff channel');
      if (!(await postInStaffChannel(renderStaffNotice(notice, DISCORD_STAFF_WORDING.notDelivered(`<@${staffId}>`))))) throw error;
    }
  }

  return {
    async toConversation(conversationKey, replies) {
      const place = placeOfConversationKey(conversationKey);
      if (!place) throw new Error(`not a Discord customer conversation: ${conversationKey.slice(0, 80)}`);
      const channel = await sendable(place.channelId);
      const customer = place.kind === 'thread' ? await deps.threadCustomer(place.channelId) : channel.type === ChannelType.DM ? channel.recipientId : undefined;
      // Outside a turn there is no interaction to answer privately, so every reply is posted in the place.
      for (const reply of replies) {
        for (const payload of renderOutside(reply, customer)) await channel.send(payload);
      }
    },
    async toStaff(notice) {
      if (notice.to) {
        if (notice.to.channel !== 'discord') return;
        if (!USER_ID.test(notice.to.staffId)) {
          logger.warn({ channel: 'discord', caseId: notice.caseId, kind: notice.kind }, 'discord staff notice for someone who is not a Discord user; not sent');
          return;
        }
        return toStaffMember(notice, notice.to.staffId);
      }
      const posted = await postInStaffChannel(notice.kind === 'case_opened' ? renderCaseNotice(notice) : renderStaffNotice(notice));
      if (!posted) logger.debug({ channel: 'discord', caseId: notice.caseId, kind: notice.kind }, 'no Discord staff channel configured; notice not posted on Discord');
    },
  };
}

/**
 * A reply delivered outside a turn. A staff member's reply comes straight from the core, without the
 * bot's sanitising, so its text is neutralised here too (NO_PINGS already stops any ping). Buttons need
 * the customer they are for; without one (a thread whose record expired) choices are listed as text,
 * which the customer can type.
 */
function renderOutside(reply: Reply, customer: string | undefined): DiscordMessage[] {
  if (reply.kind === 'text') return renderReply({ ...reply, text: neutralizeMentions(reply.text) }, '');
  if (reply.kind === 'choices' && !customer) return renderReply({ kind: 'text', text: [reply.text, ...reply.choices.map((c) => `- ${c.label}`)].join('\n') }, '');
  return renderReply(reply, customer ?? '');
}
