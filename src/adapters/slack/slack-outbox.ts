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
import type { ConversationStore, Logger, StaffNotice } from '../../core/ports.js';
import type { OutboxSink } from '../../handoff/outbox-router.js';
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
/** Long enough for any case to be claimed; the notice is only tidied up, so losing it later costs nothing. */
const CASE_NOTICE_TTL_MS = 30 * 24 * 3600_000;
const caseNoticeKey = (caseId: string) => `slack:case-notice:${caseId}`;
const storedNotice = z.object({ channel: z.string(), ts: z.string(), blocks: z.array(z.unknown()) });

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
      if (notice.kind === 'case_opened') {
        const message = renderCaseNotice(notice);
        const posted = await post(deps.staffChannel, message);
        if (posted.ts) {
          const where = { channel: posted.channel ?? deps.staffChannel, ts: posted.ts, blocks: message.blocks ?? [] };
          await deps.store
            .set(caseNoticeKey(notice.caseId), where, CASE_NOTICE_TTL_MS)
            .catch((error: unknown) => logger.warn({ err: describeError(error), channel: 'slack', caseId: notice.caseId }, 'slack could not remember where a case notice is'));
        }
        return;
      }
      await post(deps.staffChannel, renderStaffNotice(notice));
      if (notice.kind === 'case_claimed' && notice.by) await markClaimed(notice.caseId, notice.by);
    },
  };

  /** Takes the Claim button off the case's notice, whoever claimed it and however (tidying up: never throws). */
  async function markClaimed(caseId: string, by: NonNullable<StaffNotice['by']>): Promise<void> {
    try {
      const where = storedNotice.safeParse(await deps.store.get(caseNoticeKey(caseId)));
      if (!where.success) return;
      const claimer = { id: by.channel === 'slack' ? by.staffId : '', name: by.name };
      await client.chat.update({ token, channel: where.data.channel, ts: where.data.ts, ...renderCaseClaimed(where.data.blocks, caseId, claimer) });
    } catch (error) {
      logger.warn({ err: describeError(error), channel: 'slack', caseId }, 'slack could not mark the case notice as claimed');
    }
  }
}
