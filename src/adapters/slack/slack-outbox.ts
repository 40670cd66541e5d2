/**
 * The Slack sink of the outbox: delivers what leaves the bot outside a customer's turn. A staff reply,
 * handback or closing goes into the customer's DM or thread (read from the conversation key); a new case
 * goes to the staff channel with a Claim button and other notices go there as text; a notice for one
 * staff member (the customer's words on the case they claimed) reaches them as a DM.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';
import type { OutboxSink } from '../../handoff/outbox-router.js';
import { placeOfConversationKey } from './conversation-key.js';
import { renderReply, type SlackMessage } from './render-reply.js';
import { renderCaseNotice, renderStaffNotice } from './render-staff.js';

export interface SlackOutboxDeps {
  /** The App's Web API client; it carries no token of its own, so every call passes `botToken`. */
  client: webApi.WebClient;
  botToken: string;
  logger: Logger;
  /** `PORTPILOT_STAFF_SLACK_CHANNEL`: where new cases are listed; without it staff use `/portpilot-staff queue`. */
  staffChannel?: string | undefined;
}

const USER_ID = /^[UW][A-Z0-9]+$/;

export function createSlackOutbox(deps: SlackOutboxDeps): Required<OutboxSink> {
  const { client, botToken: token, logger } = deps;

  const post = (channel: string, message: SlackMessage, threadTs?: string) =>
    client.chat.postMessage({ token, channel, ...(threadTs ? { thread_ts: threadTs } : {}), ...message, unfurl_links: false, unfurl_media: false });

  return {
    async toConversation(conversationKey, replies) {
      const place = placeOfConversationKey(conversationKey);
      if (!place) throw new Error(`not a Slack customer conversation: ${conversationKey.slice(0, 80)}`);
      // Outside a turn there is no author to show a private reply to, so every reply is posted in the place.
      for (const reply of replies) await post(place.channel, renderReply(reply), place.threadTs);
    },
    async toStaff(notice) {
      if (notice.to) {
        if (notice.to.channel !== 'slack') return;
        if (!USER_ID.test(notice.to.staffId)) {
          logger.warn({ channel: 'slack', caseId: notice.caseId, kind: notice.kind }, 'slack staff notice for someone who is not a Slack user; not sent');
          return;
        }
        const opened = await client.conversations.open({ token, users: notice.to.staffId });
        const dm = opened.channel?.id;
        if (!dm) throw new Error('conversations.open returned no channel');
        await post(dm, renderStaffNotice(notice));
        return;
      }
      if (!deps.staffChannel) {
        logger.debug({ channel: 'slack', caseId: notice.caseId, kind: notice.kind }, 'no Slack staff channel configured; notice not posted on Slack');
        return;
      }
      await post(deps.staffChannel, notice.kind === 'case_opened' ? renderCaseNotice(notice) : renderStaffNotice(notice));
    },
  };
}
