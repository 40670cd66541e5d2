/**
 * The Discord sink of the outbox: delivers what leaves the bot outside a customer's turn. A staff reply,
 * handback or closing goes into the customer's DM or thread (read from the conversation key); a new case
 * goes to the staff channel with a Claim button and other notices go there as text; a notice for one
 * staff member (the customer's words on the case they claimed) reaches them as a DM. Where each case's
 * notice was posted is kept in the store, so a claim made by command (on any instance) also takes the
 * Claim button off that notice.
 */
import { ChannelType, type Client, type Message, type SendableChannels } from 'discord.js';
import { z } from 'zod';
import type { ConversationStore, Logger } from '../../core/ports.js';
import { neutralizeMentions } from '../../core/redact.js';
import type { Reply } from '../../core/types.js';
import type { OutboxSink } from '../../handoff/outbox-router.js';
import { createStaffNoticeSink } from '../channel/staff-notices.js';
import { placeOfConversationKey } from './conversation-key.js';
import { describeError } from './discord-logging.js';
import { renderReply, type DiscordMessage } from './render.js';
import { DISCORD_STAFF_WORDING, renderCaseClaimed, renderCaseNotice, renderStaffNotice } from './render-staff.js';

export interface DiscordOutboxDeps {
  client: Client;
  logger: Logger;
  /** Where each case's notice was posted (the shared store, so any instance can edit it). */
  store: ConversationStore;
  /** `PORTPILOT_STAFF_DISCORD_CHANNEL`: where new cases are listed; without it staff use `/staff queue`. */
  staffChannelId?: string | undefined;
  /** The customer of a thread the bot opened (the one its buttons are for), from the adapter's records. */
  threadCustomer(threadId: string): Promise<string | undefined>;
}

const USER_ID = /^\d{15,22}$/;
const whereNoticeIs = z.object({ channelId: z.string(), messageId: z.string(), content: z.string() });

export function createDiscordOutbox(deps: DiscordOutboxDeps): Required<OutboxSink> {
  const { client, logger } = deps;

  /** A channel to post in, from the cache or Discord (after a restart the cache is empty). */
  async function sendable(channelId: string): Promise<SendableChannels> {
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isSendable()) throw new Error(`discord channel ${channelId} is not one portpilot can post in`);
    return channel;
  }

  async function postInStaffChannel(message: DiscordMessage): Promise<Message | undefined> {
    if (!deps.staffChannelId) return undefined;
    return (await sendable(deps.staffChannelId)).send(message);
  }

  const toStaff = createStaffNoticeSink(
    { channel: 'discord', userId: USER_ID, where: whereNoticeIs, describeError },
    {
      /** The customer's words on a claimed case, to the one who claimed it; the staff channel if the DM fails. */
      async toMember(notice, staffId) {
        try {
          const dm = await client.users.createDM(staffId);
          await dm.send(renderStaffNotice(notice));
        } catch (error) {
          // A member can refuse DMs from server members (Discord error 50007): the customer's words must not be lost.
          logger.warn({ err: describeError(error), channel: 'discord', caseId: notice.caseId }, 'discord could not DM a staff member; trying the staff channel');
          if (!(await postInStaffChannel(renderStaffNotice(notice, DISCORD_STAFF_WORDING.notDelivered(`<@${staffId}>`))))) throw error;
        }
      },
      async postCaseNotice(notice) {
        const message = renderCaseNotice(notice);
        const posted = await postInStaffChannel(message);
        return posted && { channelId: posted.channelId, messageId: posted.id, content: message.content ?? '' };
      },
      async postNotice(notice) {
        return (await postInStaffChannel(renderStaffNotice(notice))) !== undefined;
      },
      async markClaimed(where, caseId, by) {
        const channel = await sendable(where.channelId);
        const claimer = by.channel === 'discord' ? by.staffId : (by.name ?? 'a staff member');
        await channel.messages.edit(where.messageId, renderCaseClaimed(where.content, caseId, claimer));
      },
    },
    { store: deps.store, logger },
  );

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
    toStaff,
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
