/**
 * The Slack sink of the outbox: delivers what leaves the bot outside a customer's turn. A staff reply,
 * handback or closing goes into the customer's DM or thread (read from the conversation key); a new case
 * goes to the staff channel with a Claim button and other notices go there as text; a notice for one
 * staff member (the customer's words on the case they claimed) reaches them as a DM. Where each case's
 * notice was posted is kept in the store, so a claim made by command (on any instance) also takes the
 * Claim button off that notice.
 */
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { ConversationStore, Logger } from '../../core/ports.js';
import type { OutboxSink } from '../../handoff/outbox-router.js';
import { createStaffNoticeSink } from '../channel/staff-notices.js';
import { placeOfConversationKey } from './conversation-key.js';
import { renderReply, type SlackMessage } from './render-reply.js';
import { renderCaseClaimed, renderCaseNotice, renderStaffNotice } from './render-staff.js';
import { describeError } from './slack-logging.js';

export interface SlackOutboxDeps {
  /** The App's Web API client; it carries no token of its own, so every call passes `botToken`. */
  client: webApi.WebClient;
  botToken: string;
  logger: Logger;
  /** Where each case's notice was posted (the shared store, so any instance can update it). */
  store: ConversationStore;
  /** `PORTPILOT_STAFF_SLACK_CHANNEL`: where new cases are listed; without it staff use `/portpilot-staff queue`. */
  staffChannel?: string | undefined;
}

const USER_ID = /^[UW][A-Z0-9]+$/;
const whereNoticeIs = z.object({ channel: z.string(), ts: z.string(), blocks: z.array(z.unknown()) });

export function createSlackOutbox(deps: SlackOutboxDeps): Required<OutboxSink> {
  const { client, botToken: token, logger } = deps;

  const post = (channel: string, message: SlackMessage, threadTs?: string) =>
    client.chat.postMessage({ token, channel, ...(threadTs ? { thread_ts: threadTs } : {}), ...message, unfurl_links: false, unfurl_media: false });

  const toStaff = createStaffNoticeSink(
    { channel: 'slack', userId: USER_ID, where: whereNoticeIs, describeError },
    {
      async toMember(notice, staffId) {
        const opened = await client.conversations.open({ token, users: staffId });
        const dm = opened.channel?.id;
        if (!dm) throw new Error('conversations.open returned no channel');
        await post(dm, renderStaffNotice(notice));
      },
      async postCaseNotice(notice) {
        if (!deps.staffChannel) return undefined;
        const message = renderCaseNotice(notice);
        const posted = await post(deps.staffChannel, message);
        if (!posted.ts) throw new Error('chat.postMessage returned no ts for the case notice');
        return { channel: posted.channel ?? deps.staffChannel, ts: posted.ts, blocks: message.blocks ?? [] };
      },
      async postNotice(notice) {
        if (!deps.staffChannel) return false;
        await post(deps.staffChannel, renderStaffNotice(notice));
        return true;
      },
      async markClaimed(where, caseId, by) {
        const claimer = { id: by.channel === 'slack' ? by.staffId : '', name: by.name };
        await client.chat.update({ token, channel: where.channel, ts: where.ts, ...renderCaseClaimed(where.blocks, caseId, claimer) });
      },
    },
    { store: deps.store, logger },
  );

  return {
    async toConversation(conversationKey, replies) {
      const place = placeOfConversationKey(conversationKey);
      if (!place) throw new Error(`not a Slack customer conversation: ${conversationKey.slice(0, 80)}`);
      // Outside a turn there is no author to show a private reply to, so every reply is posted in the place.
      for (const reply of replies) await post(place.channel, renderReply(reply), place.threadTs);
    },
    toStaff,
  };
}
